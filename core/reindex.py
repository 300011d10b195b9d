"""Re-running extraction over every stored article, in batches, one transaction each."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from sqlite_utils import Database

from core.models import Article, Extraction
from core.query.articles import ARTICLE_COLUMNS, article_from_row
from core.store import note_extraction, write_extraction, write_transaction

BATCH = 500


def stored_articles(db: Database, batch: int = BATCH) -> Iterator[list[Article]]:
    """All articles in rowid order, a batch at a time (never the whole table in memory)."""
    last = 0
    while True:
        rows = db.execute(
            f"select rowid, {', '.join(ARTICLE_COLUMNS)} from articles "
            "where rowid > ? order by rowid limit ?",
            [last, batch],
        ).fetchall()
        if not rows:
            return
        last = rows[-1][0]
        yield [article_from_row(row[1:]) for row in rows]


def reindex_all(db: Database, extract: Callable[[Article], Extraction]) -> int:
    """Replace the extraction of every stored article; returns how many were done."""
    done = 0
    for articles in stored_articles(db):
        found = [(a, extract(a)) for a in articles]
        with write_transaction(db):
            for article, extraction in found:
                write_extraction(db, article, extraction)
        done += len(articles)
    with write_transaction(db):
        note_extraction(db, everything=True)
    return done
