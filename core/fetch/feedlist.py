"""The feed list: validating a feed URL, seeding from the profile, the extraction hook."""

from __future__ import annotations

import importlib
import importlib.util
import ipaddress
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sqlite_utils import Database

from core.fetch.guard import Address, is_link_local
from core.fetch.parse import URL_UNSAFE
from core.models import Article, Extraction, Feed
from core.query.feeds import feed_count
from core.store import upsert_feed, write_transaction
from core.text import clean_line

log = logging.getLogger(__name__)
ExtractFn = Callable[[Article], Extraction]


class FeedURLError(ValueError):
    """A feed URL sitrep will not poll: "URL: reason" (the URL shown safely)."""

    def __init__(self, shown: str, reason: str) -> None:
        super().__init__(f"{shown}: {reason}")
        self.shown = shown
        self.reason = reason


def check_feed_url(url: str) -> str:
    """The URL stripped, or FeedURLError: only http(s) URLs with a host are feeds."""
    url = url.strip()
    shown = clean_line(url, 200)  # the URL as an error line may show it: never raw controls
    if URL_UNSAFE.search(url):
        raise FeedURLError(shown, "control characters or spaces in URL")
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError as exc:  # 'http://[::1' and other malformed authorities
        raise FeedURLError(shown, f"not a valid URL ({exc})") from exc
    if parts.scheme.lower() not in ("http", "https"):
        raise FeedURLError(shown, "not an http(s) URL")
    if not host:
        raise FeedURLError(shown, "no host in URL")
    if len(url) > 4096:
        raise FeedURLError(f"{shown[:80]}...", "URL longer than 4096 characters")
    literal = _literal_address(host)
    if literal is not None and is_link_local(literal):
        raise FeedURLError(shown, "a link-local address (the cloud metadata service), not a feed")
    return url


def _literal_address(host: str) -> Address | None:
    try:
        return ipaddress.ip_address(host.split("%")[0])
    except ValueError:
        return None


def add_feeds(db: Database, feeds: list[Feed]) -> int:
    """Add feeds not yet listed (a listed feed keeps its state); returns how many were new."""
    existing = {row[0] for row in db.execute("select url from feeds").fetchall()}
    fresh = [f for f in feeds if f.url not in existing]
    with write_transaction(db):
        for feed in fresh:
            upsert_feed(db, feed)
    return len(fresh)


def load_region(profile_path: Path | None = None) -> Any | None:
    """The profile at `profile_path` (or the built-in one); None while loading is not built."""
    load_profile = _profile_loader()
    return None if load_profile is None else load_profile(profile_path)


def seed_feeds(db: Database, profile: Any) -> int:
    """On an empty feed list, add the feeds `profile` (a core.profile.Profile) lists."""
    if feed_count(db) or profile is None:
        return 0
    feeds = [
        Feed(url=f.url, title=f.title, html_url=f.html_url, category=f.category)
        for f in getattr(profile, "feeds", [])
    ]
    return add_feeds(db, feeds)


def extractor_for(profile: Any) -> ExtractFn | None:
    """`Extractor(profile).extract`, or None while the extraction pipeline does not exist."""
    try:
        from core.extract.pipeline import Extractor
    except ModuleNotFoundError as exc:
        if exc.name not in ("core.extract.pipeline", "core.extract"):
            raise
        log.info("extraction pipeline not available: storing articles without extraction")
        return None
    if profile is None:
        return None
    extract: ExtractFn = Extractor(profile).extract
    return extract


def lazy_extractor(profile: Any) -> ExtractFn | None:
    """Like `extractor_for`, but the extractor is built on the first article.

    Building it takes about a second (profile matchers, gazetteer); a poll that brings
    nothing new (all 304s), or whose extraction runs in worker processes, never pays it.
    """
    if profile is None or importlib.util.find_spec("core.extract") is None:
        return None
    built: list[ExtractFn | None] = []

    def extract(article: Article) -> Extraction:
        if not built:
            built.append(extractor_for(profile))
        real = built[0]
        return real(article) if real is not None else Extraction()

    return extract


def _profile_loader() -> Callable[[Path | None], Any] | None:
    """core.profile.load_profile, looked up at run time (it lands with the profile work)."""
    loader: Callable[[Path | None], Any] | None = getattr(
        importlib.import_module("core.profile"), "load_profile", None
    )
    return loader
