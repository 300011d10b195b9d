"""The SQLite store: opening, schema migrations and every write.

One file, WAL mode, so several dashboards read while one ingest writes. Every batch is one
`BEGIN IMMEDIATE` transaction: a writer takes the write lock up front (waiting up to the busy
timeout) instead of failing half-way when a reader's snapshot goes stale.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlite_utils
from sqlite_utils import Database

from core.dedupe import bands, simhash, within_distance
from core.models import Article, Extraction, Feed

BUSY_TIMEOUT_MS = 15_000
FTS_TOKENIZER = "unicode61 remove_diacritics 2"

migrations = sqlite_utils.Migrations("sitrep")


class StoreError(Exception):
    """A database that cannot be opened or written, with a message fit for the user."""


@migrations(name="0001_articles")
def _m0001_articles(db: Database) -> None:
    db["articles"].create(  # type: ignore[union-attr]
        {
            "url": str,
            "title": str,
            "body": str,
            "published": str,
            "source": str,
            "fetched": str,
            "content_hash": str,
            "feed_url": str,
            "guid": str,
            "dup_of": str,
            "simhash": int,
            "band0": int,
            "band1": int,
            "band2": int,
            "band3": int,
            "extra": str,
        },
        pk="url",
    )
    for columns in (["published"], ["source"], ["dup_of"], ["guid"], ["feed_url"], ["fetched"]):
        db["articles"].create_index(columns)  # type: ignore[union-attr]
    for band in range(4):
        db["articles"].create_index([f"band{band}"])  # type: ignore[union-attr]
    db["articles"].enable_fts(  # type: ignore[union-attr]
        ["title", "body"], create_triggers=True, tokenize=FTS_TOKENIZER
    )


@migrations(name="0002_extraction")
def _m0002_extraction(db: Database) -> None:
    db["place_mentions"].create(  # type: ignore[union-attr]
        {"url": str, "place": str, "n": int, "first": int}, pk=("url", "place")
    )
    db["place_mentions"].create_index(["place"])  # type: ignore[union-attr]
    db["actor_mentions"].create(  # type: ignore[union-attr]
        {"url": str, "actor": str, "side": str, "n": int, "first": int}, pk=("url", "actor")
    )
    db["actor_mentions"].create_index(["actor"])  # type: ignore[union-attr]
    db["figures"].create(  # type: ignore[union-attr]
        {
            "id": int,
            "url": str,
            "category": str,
            "value": int,
            "low": int,
            "high": int,
            "qualifier": str,
            "grp": str,
            "place": str,
            "actor": str,
            "date": str,
            "sentence": str,
            "seq": int,
        },
        pk="id",
    )
    for columns in (["url"], ["category", "date"], ["place"]):
        db["figures"].create_index(columns)  # type: ignore[union-attr]
    db["events"].create(  # type: ignore[union-attr]
        {
            "id": int,
            "url": str,
            "place": str,
            "actor": str,
            "side": str,
            "verb": str,
            "date": str,
            "sentence": str,
            "seq": int,
        },
        pk="id",
    )
    for columns in (["url"], ["place", "date"]):
        db["events"].create_index(columns)  # type: ignore[union-attr]
    db["quotes"].create(  # type: ignore[union-attr]
        {"id": int, "url": str, "actor": str, "speaker": str, "text": str, "date": str},
        pk="id",
    )
    db["quotes"].create_index(["actor", "date"])  # type: ignore[union-attr]
    db["quotes"].create_index(["url"])  # type: ignore[union-attr]


@migrations(name="0003_feeds_meta")
def _m0003_feeds_meta(db: Database) -> None:
    db["feeds"].create(  # type: ignore[union-attr]
        {
            "url": str,
            "title": str,
            "html_url": str,
            "category": str,
            "etag": str,
            "last_modified": str,
            "last_status": int,
            "last_error": str,
            "last_ok": str,
            "last_fetch": str,
            "next_fetch": str,
            "failures": int,
            "interval": int,
        },
        pk="url",
    )
    db["meta"].create({"key": str, "value": str}, pk="key")  # type: ignore[union-attr]


@migrations(name="0004_read_indexes")
def _m0004_read_indexes(db: Database) -> None:
    """Indexes the dashboard's first paint needs at a million articles."""
    db["figures"].create_index(["place", "date"], if_not_exists=True)  # type: ignore[union-attr]
    db["articles"].create_index(  # type: ignore[union-attr]
        ["published", "url", "dup_of"],
        index_name="idx_articles_published_covering",
        if_not_exists=True,
    )


def open_db(path: str | Path, *, threadsafe: bool = False) -> Database:
    """Open (creating if needed) and migrate the database at `path`.

    Raises StoreError with a one-line reason for a file that is not SQLite, a read-only file
    that needs migrating, or a folder that does not exist.
    """
    path = Path(path)
    if path.is_dir():
        raise StoreError(f"{path}: is a directory, not a database file")
    if path.exists() and not path.is_file():  # SQLite would write a -journal beside /dev/null
        raise StoreError(f"{path}: not a regular file (a device or a pipe), not a database file")
    if not path.parent.exists():
        raise StoreError(f"{path}: folder {path.parent} does not exist")
    try:
        conn = sqlite3.connect(
            str(path), check_same_thread=not threadsafe, timeout=BUSY_TIMEOUT_MS / 1000
        )
        db = Database(conn)
        _configure(db)
        if migrations.pending(db):
            migrations.apply(db)
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path}: {_explain(exc)}") from exc
    return db


def _configure(db: Database) -> None:
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    mode = db.execute("PRAGMA journal_mode").fetchone()[0]
    if mode != "wal":
        db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")


def _explain(exc: sqlite3.DatabaseError) -> str:
    text = str(exc)
    if "file is not a database" in text or "malformed" in text:
        return "not a SQLite database (or it is corrupt)"
    if "readonly" in text or "read-only" in text:
        return "the database is read-only"
    if "unable to open" in text:
        return "cannot open the database file"
    return text


@contextmanager
def write_transaction(db: Database) -> Iterator[Database]:
    """One IMMEDIATE transaction: all of it lands or none of it does."""
    try:
        db.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        raise StoreError(_explain(exc)) from exc
    try:
        yield db
    except sqlite3.OperationalError as exc:
        # e.g. "attempt to write a readonly database": a user-fit StoreError, not a traceback
        # (ingest helper's fix: a WAL database opened read-only fails here, not at BEGIN).
        db.conn.rollback()
        raise StoreError(_explain(exc)) from exc
    except BaseException:
        db.conn.rollback()
        raise
    else:
        try:
            db.conn.commit()
        except sqlite3.DatabaseError as exc:
            db.conn.rollback()
            raise StoreError(_explain(exc)) from exc


# ---- articles ----


@dataclass
class BatchResult:
    """What one batch did: new, changed, unchanged (skipped) and near-duplicate articles."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    grouped: int = 0

    def add(self, other: BatchResult) -> None:
        self.inserted += other.inserted
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.grouped += other.grouped


def utc_iso(moment: datetime) -> str:
    """Times are stored as ISO 8601 text in UTC so they sort and compare as strings."""
    return moment.astimezone(UTC).isoformat()


def iso(value: datetime | None) -> str | None:
    return None if value is None else utc_iso(value)


def known_hashes(db: Database, urls: Iterable[str]) -> dict[str, str]:
    """content_hash of each url already stored (so unchanged articles skip extraction)."""
    urls = list(urls)
    found: dict[str, str] = {}
    for start in range(0, len(urls), 500):
        chunk = urls[start : start + 500]
        marks = ",".join("?" * len(chunk))
        rows = db.execute(
            f"select url, content_hash from articles where url in ({marks})", chunk
        ).fetchall()
        found.update({url: digest for url, digest in rows})
    return found


def write_batch(db: Database, items: Iterable[tuple[Article, Extraction | None]]) -> BatchResult:
    """Upsert articles and their extraction in one transaction.

    An article whose url is stored with the same content hash is skipped; a changed one is
    rewritten with its extraction; a new one whose text is a near-duplicate of a stored
    article is stored with `dup_of` pointing at the first copy.
    """
    result = BatchResult()
    with write_transaction(db):
        write_articles(db, items, result)
    return result


def write_articles(
    db: Database, items: Iterable[tuple[Article, Extraction | None]], result: BatchResult
) -> BatchResult:
    """`write_batch` without its own transaction: call inside `write_transaction`.

    The poller writes a feed's articles and the feed's new state in one transaction.
    The rows go in as one multi-row upsert per chunk: FTS5 flushes its pending index at every
    statement, so one statement per article would cost about three times as much.
    """
    batch = list(items)
    pending = _PendingBatch(db, known_hashes(db, [article.url for article, _ in batch]))
    for article, extraction in batch:
        pending.add(article, extraction, result)
    pending.write()
    return result


class _PendingBatch:
    """Rows to upsert, with near-duplicate lookup over both the store and this batch."""

    def __init__(self, db: Database, stored: dict[str, str]) -> None:
        self.db = db
        self.stored = stored
        self.rows: dict[str, dict[str, Any]] = {}
        self.extractions: dict[str, tuple[Article, Extraction | None, bool]] = {}
        self.by_band: dict[tuple[int, int], list[tuple[str, int]]] = {}

    def add(self, article: Article, extraction: Extraction | None, result: BatchResult) -> None:
        url = article.url
        previous = self.rows[url]["content_hash"] if url in self.rows else self.stored.get(url)
        if previous == article.content_hash:
            result.unchanged += 1
            return
        text = article.body if len(article.body) > 200 else f"{article.title} {article.body}"
        fingerprint = simhash(text)
        dup_of = (
            article.dup_of
            or _find_near_duplicate(self.db, url, fingerprint)
            or self._batch_duplicate(url, fingerprint)
        )
        self.rows[url] = _article_row(article, fingerprint, dup_of)
        replace = previous is not None
        self.extractions[url] = (article, extraction, replace)
        if replace:
            result.updated += 1
            return
        result.inserted += 1
        result.grouped += dup_of is not None
        for index, band in enumerate(bands(fingerprint)):
            self.by_band.setdefault((index, band), []).append((url, fingerprint))

    def _batch_duplicate(self, url: str, fingerprint: int) -> str | None:
        for key in enumerate(bands(fingerprint)):
            for other_url, other in self.by_band.get(key, []):
                if other_url != url and within_distance(fingerprint, other):
                    return str(self.rows[other_url]["dup_of"] or other_url)
        return None

    def write(self) -> None:
        rows = list(self.rows.values())
        for start in range(0, len(rows), _ROWS_PER_STATEMENT):
            chunk = rows[start : start + _ROWS_PER_STATEMENT]
            values = ", ".join([_ROW_MARKS] * len(chunk))
            params = [row[column] for row in chunk for column in _ARTICLE_COLUMNS]
            self.db.execute(_UPSERT_ARTICLES.format(values=values), params)
        replaced = [a.url for a, _, replace in self.extractions.values() if replace]
        if replaced:
            delete_extraction(self.db, replaced)
        found: Rows = {table: [] for table in EXTRACTION_TABLES}
        for article, extraction, _ in self.extractions.values():
            if extraction is not None:
                extraction_rows(article, extraction, into=found)
        insert_extraction_rows(self.db, found)


_ARTICLE_COLUMNS = (
    *("url", "title", "body", "published", "source", "fetched", "content_hash", "feed_url"),
    *("guid", "dup_of", "simhash", "band0", "band1", "band2", "band3", "extra"),
)
_ROW_MARKS = f"({', '.join('?' * len(_ARTICLE_COLUMNS))})"
_ROWS_PER_STATEMENT = 500  # 500 x 16 variables, well under SQLite's 32766
_UPSERT_ARTICLES = (
    f"insert into articles ({', '.join(_ARTICLE_COLUMNS)}) values {{values}} "
    "on conflict(url) do update set "
    + ", ".join(f"{column} = excluded.{column}" for column in _ARTICLE_COLUMNS[1:])
)


def _article_row(article: Article, fingerprint: int, dup_of: str | None) -> dict[str, Any]:
    row: dict[str, Any] = {
        "url": article.url,
        "title": article.title,
        "body": article.body,
        "published": iso(article.published),
        "source": article.source,
        "fetched": iso(article.fetched),
        "content_hash": article.content_hash,
        "feed_url": article.feed_url,
        "guid": article.guid,
        "dup_of": dup_of,
        "simhash": _signed(fingerprint),
        "extra": json.dumps(article.extra, ensure_ascii=False, default=str),
    }
    for index, band in enumerate(bands(fingerprint)):
        row[f"band{index}"] = band
    return row


def _signed(value: int) -> int:
    """SQLite integers are signed 64-bit."""
    return value - (1 << 64) if value >= 1 << 63 else value


_MAX_CANDIDATES = 64


def _find_near_duplicate(db: Database, url: str, fingerprint: int) -> str | None:
    """The first stored article whose simhash is within a few bits (pigeonhole on 4 bands).

    Candidates are filtered by distance here and the earliest (by published, then rowid) kept;
    asking SQLite to sort every band match first cost several times more on templated text,
    where bands are crowded.
    """
    clauses = " or ".join(f"band{i} = ?" for i in range(4))
    rows = db.execute(
        f"select url, simhash, dup_of, published, rowid from articles where ({clauses}) "
        f"and url != ? limit {_MAX_CANDIDATES}",
        [*bands(fingerprint), url],
    ).fetchall()
    close = [row for row in rows if within_distance(fingerprint, row[1] & ((1 << 64) - 1))]
    if not close:
        return None
    # SQL order: NULL published first, then by time, then by rowid.
    first = min(close, key=lambda row: (row[3] is not None, row[3] or "", row[4]))
    return str(first[2] or first[0])


EXTRACTION_TABLES = ("place_mentions", "actor_mentions", "figures", "events", "quotes")
_COLUMNS = {
    "place_mentions": ("url", "place", "n", "first"),
    "actor_mentions": ("url", "actor", "side", "n", "first"),
    "figures": ("url", "category", "value", "low", "high", "qualifier", "grp", "place", "actor",
                "date", "sentence", "seq"),
    "events": ("url", "place", "actor", "side", "verb", "date", "sentence", "seq"),
    "quotes": ("url", "actor", "speaker", "text", "date"),
}  # fmt: skip
Rows = dict[str, list[tuple[Any, ...]]]


def write_extraction(
    db: Database, article: Article, extraction: Extraction | None, *, replace: bool = True
) -> None:
    """Replace everything extracted from `article` (call inside a transaction).

    `replace=False` skips deleting the old rows: for an article just inserted there are none.
    """
    if replace:
        delete_extraction(db, [article.url])
    if extraction is not None:
        insert_extraction_rows(db, extraction_rows(article, extraction))


def delete_extraction(db: Database, urls: list[str]) -> None:
    for table in EXTRACTION_TABLES:
        db.conn.executemany(f"delete from {table} where url = ?", [(u,) for u in urls])


def insert_extraction_rows(db: Database, rows: Rows) -> None:
    """One executemany per table: per-article inserts cost more than the extraction rows."""
    for table, values in rows.items():
        if values:
            columns = _COLUMNS[table]
            db.conn.executemany(
                f"insert into {table} ({', '.join(columns)}) values "
                f"({', '.join('?' * len(columns))})",
                values,
            )


def extraction_rows(article: Article, extraction: Extraction, into: Rows | None = None) -> Rows:
    """The rows of every extraction table for one article (appended to `into` if given)."""
    rows: Rows = into if into is not None else {table: [] for table in EXTRACTION_TABLES}
    url = article.url
    day = article.published.date().isoformat() if article.published else None
    rows["place_mentions"] += _counted(url, [(p.place, None, p.start) for p in extraction.places])
    rows["actor_mentions"] += _counted(url, [(a.actor, a.side, a.start) for a in extraction.actors])
    rows["figures"] += [
        (url, f.category, f.value, f.low, f.high, f.qualifier, f.group, f.place, f.actor,
         _day(f.date) or day, f.sentence, seq)
        for seq, f in enumerate(extraction.figures)
    ]  # fmt: skip
    rows["events"] += [
        (url, e.place, e.actor, e.side, e.verb, _day(e.date) or day, e.sentence, seq)
        for seq, e in enumerate(extraction.events)
    ]
    rows["quotes"] += [
        (url, q.actor, q.speaker, q.text, _day(q.date) or day) for q in extraction.quotes
    ]
    return rows


def _day(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _counted(url: str, mentions: list[tuple[str, str | None, int]]) -> list[tuple[Any, ...]]:
    """One row per name: how often it occurs and where first (places have no side column)."""
    counts: dict[str, list[Any]] = {}
    for name, side, start in mentions:
        entry = counts.setdefault(name, [name, side, 0, start])
        entry[2] += 1
    return [
        (url, name, n, first) if side is None else (url, name, side, n, first)
        for name, side, n, first in counts.values()
    ]


# ---- feeds and meta ----


def database_file(db: Database) -> str | None:
    """The file behind `db`; None for an in-memory or temporary database."""
    rows = db.execute("PRAGMA database_list").fetchall()
    return next((str(row[2]) for row in rows if row[1] == "main" and row[2]), None)


def upsert_feed(db: Database, feed: Feed) -> None:
    """Add or update a feed's row (its article count is derived, never stored)."""
    row = feed.model_dump(exclude={"articles"})
    for key in ("last_ok", "last_fetch", "next_fetch"):
        row[key] = iso(row[key])
    db["feeds"].upsert(row, pk="url")  # type: ignore[union-attr]


def delete_feed(db: Database, url: str) -> bool:
    """Remove a feed from the list; its articles stay. True if it was there."""
    cursor = db.execute("delete from feeds where url = ?", [url])
    db.conn.commit()
    return cursor.rowcount > 0


def set_meta(db: Database, key: str, value: str) -> None:
    db["meta"].upsert({"key": key, "value": value}, pk="key")  # type: ignore[union-attr]


def get_meta(db: Database, key: str) -> str | None:
    row = db.execute("select value from meta where key = ?", [key]).fetchone()
    return None if row is None else str(row[0])
