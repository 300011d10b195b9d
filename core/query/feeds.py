"""Reads about feeds: the list with article counts, which are due, and guid identities."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from core.models import Feed
from core.query.connection import Db

_COLUMNS = (
    "url",
    "title",
    "html_url",
    "category",
    "etag",
    "last_modified",
    "last_status",
    "last_error",
    "last_ok",
    "last_fetch",
    "next_fetch",
    "failures",
    "interval",
)


def _feed(row: tuple[Any, ...]) -> Feed:
    data = dict(zip((*_COLUMNS, "articles"), row, strict=True))
    data = {k: v for k, v in data.items() if v is not None}
    return Feed.model_validate(data)


def list_feeds(db: Db) -> list[Feed]:
    """Every feed, by category then title, with how many stored articles came through it."""
    columns = ", ".join(f"f.{c}" for c in _COLUMNS)
    rows = db.execute(
        f"select {columns}, (select count(*) from articles a where a.feed_url = f.url) "
        "from feeds f order by coalesce(f.category, ''), lower(coalesce(f.title, '')), f.url"
    ).fetchall()
    return [_feed(row) for row in rows]


def get_feeds(db: Db, urls: Iterable[str]) -> list[Feed]:
    """The stored feeds among `urls`, in the order given."""
    by_url = {feed.url: feed for feed in list_feeds(db)}
    return [by_url[url] for url in urls if url in by_url]


def feed_count(db: Db) -> int:
    return int(db.execute("select count(*) from feeds").fetchone()[0])


def is_due(feed: Feed, now: datetime, interval: float | None = None, slack: float = 0.0) -> bool:
    """Due if never fetched or its next fetch time has come.

    A feed in backoff (failures, or a server's Retry-After) waits for `next_fetch` whatever
    `interval` says; a healthy feed is due after `interval` seconds when one is given, or
    up to `slack` seconds early (so feeds falling due together share one round).
    """
    if feed.next_fetch is None:
        return True
    if feed.failures:
        return feed.next_fetch <= now
    soon = now + timedelta(seconds=slack)
    if interval is None or feed.last_fetch is None:
        return feed.next_fetch <= soon
    return feed.last_fetch + timedelta(seconds=interval) <= soon or feed.next_fetch <= soon


def due_feeds(
    db: Db, now: datetime, interval: float | None = None, slack: float = 0.0
) -> list[Feed]:
    """Feeds to poll at `now` (see `is_due`), the longest-waiting first."""
    due = [feed for feed in list_feeds(db) if is_due(feed, now, interval, slack)]
    return sorted(due, key=lambda f: f.next_fetch or datetime.min.replace(tzinfo=now.tzinfo))


def next_due(db: Db, now: datetime, interval: float | None = None) -> datetime | None:
    """The earliest time any feed falls due (`now` for one never fetched; None: no feeds)."""
    times: list[datetime] = []
    for feed in list_feeds(db):
        if feed.next_fetch is None:
            return now
        times.append(feed.next_fetch)
        if interval is not None and not feed.failures and feed.last_fetch is not None:
            times.append(feed.last_fetch + timedelta(seconds=interval))
    return min(times) if times else None


def urls_by_guid(db: Db, feed_url: str, guids: Iterable[str]) -> dict[str, str]:
    """The stored url of each guid already seen from `feed_url` (identity is the guid; a
    guid stored twice for the feed: the later row's).

    The guids are looked up in their own index (`+feed_url` keeps SQLite from choosing the
    feed's: it read every article the feed ever stored, per poll)."""
    guids = [g for g in guids if g]
    found: dict[str, str] = {}
    for start in range(0, len(guids), 500):
        chunk = guids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        rows = db.execute(
            f"select guid, url from articles where +feed_url = ? and guid in ({marks}) "
            "order by rowid",
            [feed_url, *chunk],
        ).fetchall()
        found.update({str(guid): str(url) for guid, url in rows})
    return found
