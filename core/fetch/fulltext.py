"""Full text for entries that carry only a summary: fetch the page, extract its main text.

Pages are fetched through the same guarded client (every redirect hop checked) within a
per-round budget, where the site's robots.txt allows it (`core.fetch.robots`). Failure is
never fatal: the summary stays and `extra["fulltext_error"]` says why.
"""

from __future__ import annotations

import asyncio
import logging

from core.fetch.client import Fetcher
from core.fetch.guard import UrlGuard
from core.fetch.robots import RobotsRules
from core.models import Article
from core.text import clean_text

log = logging.getLogger(__name__)
_HTML_TYPES = ("text/html", "application/xhtml+xml")


class PageBudget:
    """How many pages one poll round may still fetch, and the robots.txt rules it has read
    (shared by every feed of the round)."""

    def __init__(self, pages: int) -> None:
        self.remaining = pages
        self.robots = RobotsRules()

    def take(self) -> bool:
        if self.remaining <= 0:
            return False
        self.remaining -= 1
        return True


async def with_full_text(
    article: Article, fetcher: Fetcher, guard: UrlGuard, budget: PageBudget
) -> Article:
    """`article` with its page's main text as body, or unchanged with the reason recorded.

    The content hash stays the one of the feed's version, so the next poll that sees the
    same entry knows it is unchanged and does not fetch the page again.
    """
    if refusal := await budget.robots.refusal(article.url, fetcher, guard):
        return _failed(article, refusal)
    if not budget.take():
        return _failed(
            article, f"page budget of this round used up ({fetcher.settings.fulltext_budget})"
        )
    fetched = await fetcher.get(article.url, guard=guard, max_bytes=fetcher.settings.page_max_bytes)
    if fetched.error:
        return _failed(article, fetched.error)
    if fetched.final_url != article.url and (
        refusal := await budget.robots.refusal(fetched.final_url, fetcher, guard)
    ):
        return _failed(article, refusal)  # redirected to a page its own site keeps from robots
    content_type = fetched.headers.get("content-type", "text/html").lower()
    if not content_type.startswith(_HTML_TYPES):
        return _failed(article, f"page is {content_type.split(';')[0]}, not HTML")
    text = await asyncio.to_thread(main_text, fetched.body, fetched.final_url)
    if len(text) <= len(article.body):
        return _failed(article, "no main text longer than the summary found on the page")
    extra = {**article.extra, "fulltext": True}
    extra.pop("fulltext_error", None)
    return article.model_copy(update={"body": text, "extra": extra})


def main_text(page: bytes, url: str) -> str:
    """The main text of an HTML page (trafilatura), sanitised; "" when none is found.

    trafilatura is imported here, on the first page: it takes about 0.3 s, which a poll
    whose entries all carry their full text (or a re-poll of 304s) need not pay.
    """
    import trafilatura

    try:
        text = trafilatura.extract(
            page, url=url, include_comments=False, include_tables=False, favor_precision=True
        )
    except Exception as exc:  # trafilatura raises assorted errors on hostile markup
        log.debug("trafilatura failed on %s: %s", url, exc)
        return ""
    return clean_text(text or "")


def _failed(article: Article, reason: str) -> Article:
    return article.model_copy(update={"extra": {**article.extra, "fulltext_error": reason}})
