"""A feed's row written with one prepared statement (the poller writes one per feed per round).

`core.store.upsert_feed` goes through sqlite-utils, which reads the table's schema on every
call; a round writes a row for every feed, so the statement here is built once. It stores
the same values in the same columns (`test_fetch_feedrow` compares the rows both give).
Also the one look-up the poller's write groups need (`stored_with_band`).
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from core.models import Feed
from core.store import iso

_COLUMNS = (
    *("url", "title", "html_url", "category", "etag", "last_modified", "last_status"),
    *("last_error", "last_ok", "last_fetch", "next_fetch", "failures", "interval"),
)
_UPSERT = (
    f"insert into feeds ({', '.join(_COLUMNS)}) values ({', '.join('?' * len(_COLUMNS))}) "
    "on conflict(url) do update set "
    + ", ".join(f"{column} = excluded.{column}" for column in _COLUMNS[1:])
)


def feed_values(feed: Feed) -> tuple[Any, ...]:
    """The feed's values in `_COLUMNS` order (times as ISO 8601 UTC text)."""
    return (
        *(feed.url, feed.title, feed.html_url, feed.category, feed.etag, feed.last_modified),
        *(feed.last_status, feed.last_error, iso(feed.last_ok), iso(feed.last_fetch)),
        *(iso(feed.next_fetch), feed.failures, feed.interval),
    )


def write_feed_row(db: Database, feed: Feed) -> None:
    """Add or update `feed`'s row (inside the caller's transaction), as `upsert_feed`."""
    db.conn.execute(_UPSERT, feed_values(feed))


def write_feed_rows(db: Database, feeds: list[Feed]) -> None:
    """`write_feed_row` for each of `feeds`, in turn, in one call."""
    db.conn.executemany(_UPSERT, [feed_values(feed) for feed in feeds])


def stored_with_band(db: Database, band: int, value: int, limit: int) -> int:
    """How many stored articles have `value` as band `band` of their fingerprint, counted up
    to `limit` (an index range, read no further)."""
    if band not in range(4):
        raise ValueError(f"no band {band}")
    sql = f"select count(*) from (select 1 from articles where band{band} = ? limit ?)"
    return int(db.conn.execute(sql, (value, limit)).fetchone()[0])
