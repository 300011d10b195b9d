"""robots.txt for article pages: a page fetch for full text is a crawl, so it asks first.

Feeds are not checked: a feed is a document its publisher offers for automatic polling, and
the user subscribed to it by name (feed readers do the same). An article page is fetched
only because a feed entry carried a summary, and a site may not want its pages crawled.

Per RFC 9309: rules for the user agent token `sitrep` (else `*`); a robots.txt that is
unavailable (a 4xx status, or more than 5 redirects) allows everything; one that is
unreachable (a 5xx status, a network failure, a timeout) disallows everything for this
round, and so does one longer than 500 KiB (the RFC lets a crawler ignore what follows; not
guessing is politer). Each origin's robots.txt is fetched once per round (the feeds of a
round share the cache), through the same guarded client as the pages (every redirect hop
checked). The parsing is Protego's (Scrapy's): the longest match wins and `*`/`$` wildcards
work, which the standard library's `urllib.robotparser` does not do; its wildcard match is
linear (no regex to backtrack on a hostile pattern).
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from core.fetch.client import Fetcher
from core.fetch.guard import UrlGuard

if TYPE_CHECKING:  # imported on the first robots.txt (~25 ms a poll of full feeds need not pay)
    from protego import Protego

ROBOTS_MAX_BYTES = 500 * 1024  # RFC 9309: crawlers must read at least 500 KiB
AGENT_TOKEN = "sitrep"


class RobotsRules:
    """The round's robots.txt verdicts, one fetch per origin (concurrent asks share it)."""

    def __init__(self) -> None:
        self._origins: dict[str, asyncio.Future[Protego | str]] = {}

    async def refusal(self, url: str, fetcher: Fetcher, guard: UrlGuard) -> str | None:
        """Why `url` may not be fetched (its site's robots.txt), or None when it may."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}".lower()
        if origin not in self._origins:
            task = asyncio.ensure_future(_rules(origin, fetcher, guard))
            self._origins[origin] = task
        rules = await asyncio.shield(self._origins[origin])
        if isinstance(rules, str):
            return rules
        if rules.can_fetch(url, AGENT_TOKEN):
            return None
        return f"{origin}/robots.txt disallows this page"


async def _rules(origin: str, fetcher: Fetcher, guard: UrlGuard) -> Protego | str:
    """The origin's rules, or why its pages may not be fetched this round."""
    from protego import Protego

    robots_url = f"{origin}/robots.txt"
    fetched = await fetcher.get(robots_url, guard=guard, max_bytes=ROBOTS_MAX_BYTES)
    status = fetched.status or 0
    if 400 <= status < 500 or 300 <= status < 400:  # (3xx: more redirects than followed)
        return Protego.parse("")  # unavailable: no rules, everything allowed
    if fetched.error is not None or not 200 <= status < 300:
        reason = fetched.error or f"HTTP {status}"
        return f"{robots_url} unreachable ({reason}): pages of this site are not fetched"
    return Protego.parse(fetched.body.decode("utf-8", errors="replace"))
