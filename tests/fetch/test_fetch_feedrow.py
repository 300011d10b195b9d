"""The poller's feed-row statement stores what `core.store.upsert_feed` stores."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from core.fetch.feedrow import write_feed_row
from core.models import Feed
from core.store import open_db, upsert_feed, write_transaction

WHEN = datetime(2020, 2, 3, 4, 5, 6, tzinfo=UTC)
FEEDS = [
    Feed(url="http://a.example/feed"),
    Feed(url="http://b.example/rss", title="B", html_url="http://b.example/", category="news"),
    Feed(
        url="http://c.example/atom",
        title="C «ç»",
        etag='"abc"',
        last_modified="Wed, 01 Jan 2020 00:00:00 GMT",
        last_status=200,
        last_error="malformed feed, recovered",
        last_ok=WHEN,
        last_fetch=WHEN,
        next_fetch=WHEN,
        failures=2,
        interval=600,
    ),
]


def rows(path: Path, write) -> list[tuple]:
    db = open_db(path)
    for feed in FEEDS:  # added, then updated (every field changed, and back to None)
        with write_transaction(db):
            write(db, feed)
    changed = [
        FEEDS[2].model_copy(update={"etag": None, "last_ok": None, "failures": 0}),
        FEEDS[0].model_copy(update={"title": "A", "last_status": 304, "next_fetch": WHEN}),
    ]
    for feed in changed:
        with write_transaction(db):
            write(db, feed)
    found = db.execute("select rowid, * from feeds order by rowid").fetchall()
    types = db.execute("select typeof(last_status), typeof(interval) from feeds").fetchall()
    db.close()
    return [*found, *types]


def test_feed_row_matches_upsert_feed(tmp_path: Path) -> None:
    assert rows(tmp_path / "a.db", write_feed_row) == rows(tmp_path / "b.db", upsert_feed)
