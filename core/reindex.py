"""Re-running extraction over every stored article, in batches, one transaction each."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

from sqlite_utils import Database

from core.models import Article, Extraction
from core.store import write_extraction, write_transaction

BATCH = 500


def stored_articles(db: Database, batch: int = BATCH) -> Iterator[list[Article]]:
    """All articles in rowid order, a batch at a time (never the whole table in memory)."""
    last = 0
    while True:
        rows = db.execute(
            "select rowid, url, title, body, published, source, fetched, content_hash, feed_url, "
            "guid, dup_of, extra from articles where rowid > ? order by rowid limit ?",
            [last, batch],
        ).fetchall()
        if not rows:
            return
        last = rows[-1][0]
        yield [_article(row[1:]) for row in rows]


def _article(row: tuple[object, ...]) -> Article:
    keys = (
        "url",
        "title",
        "body",
        "published",
        "source",
        "fetched",
        "content_hash",
        "feed_url",
        "guid",
        "dup_of",
        "extra",
    )
    data = dict(zip(keys, row, strict=True))
    data["extra"] = json.loads(str(data["extra"] or "{}"))
    return Article.model_validate(data)


def reindex_all(db: Database, extract: Callable[[Article], Extraction]) -> int:
    """Replace the extraction of every stored article; returns how many were done."""
    done = 0
    for articles in stored_articles(db):
        found = [(a, extract(a)) for a in articles]
        with write_transaction(db):
            for article, extraction in found:
                write_extraction(db, article, extraction)
        done += len(articles)
    return done
