"""The SQLite store: opening, schema migrations and every write.

One file, WAL mode, so several dashboards read while one ingest writes. Every batch is one
`BEGIN IMMEDIATE` transaction: a writer takes the write lock up front (waiting up to the busy
timeout) instead of failing half-way when a reader's snapshot goes stale.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from array import array
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from itertools import chain
from pathlib import Path
from typing import Any, NamedTuple

import sqlite_utils
from sqlite_utils import Database

from core.dedupe import MAX_DISTANCE, simhash, within_distance
from core.extraction_version import EXTRACTED_WITH, extraction_version
from core.models import Article, ControlEvent, Extraction, Feed
from core.query.connection import utc_iso

BUSY_TIMEOUT_MS = 15_000
FTS_TOKENIZER = "unicode61 remove_diacritics 2"
FTS_AUTOMERGE = 16  # FTS5's largest (its default: 4); see migration 0012

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


@migrations(name="0005_band_simhash_indexes")
def _m0005_band_simhash_indexes(db: Database) -> None:
    """Near-duplicate candidates come from the band indexes alone: (band, simhash) instead of
    (band), so a lookup never reads the article rows (whose long bodies made each lookup cost
    as much as the insert)."""
    for band in range(4):
        db.execute(f"drop index if exists idx_articles_band{band}")
        db["articles"].create_index(  # type: ignore[union-attr]
            [f"band{band}", "simhash"], index_name=f"idx_articles_band{band}_simhash"
        )


@migrations(name="0006_mention_published")
def _m0006_mention_published(db: Database) -> None:
    """Each mention row carries its article's `published` time, NULL when the article is
    undated or a syndicated copy (`dup_of` set): the dashboard's windowed counts then read
    one narrow index instead of joining thousands of articles to the mentions by url.

    Written with the mention rows (`extraction_rows`); triggers keep it equal to the article's
    when an article's time or `dup_of` changes, or the article is deleted, by any path.
    """
    for table in MENTION_TABLES:
        db.execute(f"alter table {table} add column published text")
        db.execute(_BACKFILL_PUBLISHED.format(table=table))
    for name, table, columns in _MENTION_INDEXES:
        db.execute(f"create index if not exists {name} on {table} ({columns})")
    for sql in _MENTION_TRIGGERS:
        db.execute(sql)


MENTION_TABLES = ("place_mentions", "actor_mentions")
# (published, name, url): every name of a time range (the partial days of sparklines and of
# the actor trend) and the mentions of a sample of recent articles.
_MENTION_INDEXES = (
    ("idx_place_mentions_published", "place_mentions", "published, place, url"),
    ("idx_actor_mentions_published", "actor_mentions", "published, actor, url"),
)
# UPDATE ... FROM (SQLite 3.33+) walks the articles once (~2x faster at a million articles)
_BACKFILL_PUBLISHED = (
    "update {table} set published = a.published from articles a "
    "where a.url = {table}.url and a.dup_of is null"
    if sqlite3.sqlite_version_info >= (3, 33)
    else "update {table} set published = (select a.published from articles a "
    "where a.url = {table}.url and a.dup_of is null)"
)
_MENTION_TRIGGERS = [
    "create trigger articles_mention_published after update of published, dup_of on articles "
    "when old.published is not new.published or old.dup_of is not new.dup_of begin "
    + " ".join(
        f"update {table} set published = case when new.dup_of is null then new.published end "
        "where url = new.url;"
        for table in MENTION_TABLES
    )
    + " end",
    "create trigger articles_mention_deleted after delete on articles begin "
    + " ".join(
        f"update {table} set published = null where url = old.url;" for table in MENTION_TABLES
    )
    + " end",
]


@migrations(name="0007_article_count")
def _m0007_article_count(db: Database) -> None:
    """How many articles are stored, kept by triggers: `count(*)` walks a whole index (tens of
    milliseconds at a million articles, before the dashboard's header can show it)."""
    db.execute("create table counts (name text primary key, n integer not null)")
    db.execute("insert into counts select 'articles', count(*) from articles")
    db.execute(
        "create trigger articles_counted after insert on articles begin "
        "update counts set n = n + 1 where name = 'articles'; end"
    )
    db.execute(
        "create trigger articles_uncounted after delete on articles begin "
        "update counts set n = n - 1 where name = 'articles'; end"
    )


@migrations(name="0008_mention_days")
def _m0008_mention_days(db: Database) -> None:
    """Mentions per name and UTC day (of mentions with a `published` time), kept by triggers
    on the mention tables: a sparkline or a trend reads a few rows per name for the whole
    days of its range, and the mentions' index only for the partial days at its ends."""
    for table, name, days in DAY_TABLES:
        key = f"{name}, day" if name == "place" else f"day, {name}"
        db.execute(
            f"create table {days} ({name} text not null, day text not null, "
            f"n integer not null, primary key ({key})) without rowid"
        )
        db.execute(
            f"insert into {days} select {name}, substr(published, 1, 10), count(*) "
            f"from {table} where published is not null group by 1, 2"
        )
        for sql in _day_triggers(table, name, days):
            db.execute(sql)


# mention table, name column, per-day counts (days are the first ten characters of UTC ISO).
# The dashboard reads a few tracked places over a range of days, and every actor of a range.
DAY_TABLES = (("place_mentions", "place", "place_days"), ("actor_mentions", "actor", "actor_days"))


def _day_triggers(table: str, name: str, days: str) -> list[str]:
    """Count a mention on its day when it gets a time; take it off when it loses it."""
    add = (
        f"insert into {days} select new.{name}, substr(new.published, 1, 10), 1 "
        f"where new.published is not null on conflict ({name}, day) do update set n = n + 1;"
    )
    take = (
        f"update {days} set n = n - 1 where old.published is not null "
        f"and {name} = old.{name} and day = substr(old.published, 1, 10);"
    )
    return [
        f"create trigger {table}_day_added after insert on {table} begin {add} end",
        f"create trigger {table}_day_removed after delete on {table} begin {take} end",
        f"create trigger {table}_day_moved after update of published, {name} on {table} "
        f"begin {take} {add} end",
    ]


@migrations(name="0009_mention_days_written")
def _m0009_mention_days_written(db: Database) -> None:
    """New mentions are counted by the store per batch (`count_mention_days`), not by a
    trigger per row; removals and moves stay triggers."""
    for table, _name, _days in DAY_TABLES:
        db.execute(f"drop trigger if exists {table}_day_added")


@migrations(name="0010_drop_place_published_index")
def _m0010_drop_place_published_index(db: Database) -> None:
    """Since the per-day counts (0008) a sparkline reads one partial day of mentions, which
    the (published, place, url) index serves: (place, published) only cost every write."""
    db.execute("drop index if exists idx_place_mentions_place_published")


@migrations(name="0011_event_date_precision")
def _m0011_event_date_precision(db: Database) -> None:
    """'in August 2019' is a month, not its first day: events say how precise their date is
    ('month'; NULL: a day). Events stored before are read as days until `sitrep reindex`."""
    db.execute("alter table events add column date_precision text")


@migrations(name="0012_fts_automerge")
def _m0012_fts_automerge(db: Database) -> None:
    """FTS5 merges a level's index segments once it has 16 of them, not 4 (`automerge`):
    each indexed word is rewritten about half as often (log16 of the index's size instead of
    log4), which took a fifth off the store's instructions in a 200-feed poll, while
    searches of a 50,000-article index took as long as before (their time goes to the
    matches, not to the few more segments)."""
    db.execute(
        f"insert into articles_fts(articles_fts, rank) values ('automerge', {FTS_AUTOMERGE})"
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
    """What one batch did: new, changed, unchanged (skipped) and near-duplicate articles, and
    how many of the new or changed ones have no publication date."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    grouped: int = 0
    undated: int = 0

    def add(self, other: BatchResult) -> None:
        self.inserted += other.inserted
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.grouped += other.grouped
        self.undated += other.undated


def iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is UTC:  # already UTC (every parsed time): `utc_iso` without converting
        return value.isoformat()
    return utc_iso(value)


class StoredVersion(NamedTuple):
    """What decides whether an incoming article may touch a stored one (a tuple: one is made
    for every article a batch or a feed's sorting reads or writes)."""

    content_hash: str
    feed_url: str | None

    def settles(self, article: Article) -> bool:
        """True when `article` must not be written over this one: it is the same content,
        or it comes from another feed (or a feed over a file, or a file over a feed).

        A feed must not be able to rewrite another feed's article by reusing its link.
        """
        return self.content_hash == article.content_hash or self.feed_url != article.feed_url


def stored_versions(db: Database, urls: Iterable[str]) -> dict[str, StoredVersion]:
    """The content hash and owning feed (None: ingested from a file) of each stored url."""
    urls = list(urls)
    found: dict[str, StoredVersion] = {}
    for start in range(0, len(urls), 500):
        chunk = urls[start : start + 500]
        marks = ",".join("?" * len(chunk))
        rows = db.execute(
            f"select url, content_hash, feed_url from articles where url in ({marks})", chunk
        ).fetchall()
        found.update({url: StoredVersion(digest, feed) for url, digest, feed in rows})
    return found


def settled(stored: dict[str, StoredVersion], article: Article) -> bool:
    """True when `article` will not be written (see `StoredVersion.settles`)."""
    version = stored.get(article.url)
    return version is not None and version.settles(article)


def write_batch(
    db: Database,
    items: Iterable[tuple[Article, Extraction | None]],
    fingerprints: Sequence[int | None] | None = None,
    candidates: CandidateCache | None = None,
) -> BatchResult:
    """Upsert articles and their extraction in one transaction.

    An article whose url is stored with the same content hash is skipped; a changed one is
    rewritten with its extraction; a new one whose text is a near-duplicate of a stored
    article is stored with `dup_of` pointing at the first copy. `fingerprints` (one per item,
    None where not computed) are `article_fingerprint`s the caller has already computed.
    `candidates`: a cache of near-duplicate candidates kept from one batch to the next (one
    writer's series of batches, e.g. an ingest); the same grouping as without it.
    """
    result = BatchResult()
    try:
        with write_transaction(db):
            write_articles(db, items, result, fingerprints, candidates)
    except BaseException:
        if candidates is not None:
            candidates.clear()  # whatever landed or not, the next batch asks the store again
        raise
    if candidates is not None:
        candidates.landed(db)
    return result


# What `write_articles` did with each item (its `outcomes`): skipped as settled, stored as
# a new article, or written over the stored version of its url.
UNCHANGED, INSERTED, UPDATED = 0, 1, 2


def write_articles(
    db: Database,
    items: Iterable[tuple[Article, Extraction | None]],
    result: BatchResult,
    fingerprints: Sequence[int | None] | None = None,
    candidates: CandidateCache | None = None,
    outcomes: list[int] | None = None,
) -> BatchResult:
    """`write_batch` without its own transaction: call inside `write_transaction`.

    The poller writes a feed's articles and the feed's new state in one transaction.
    The rows go in as one multi-row upsert per chunk: FTS5 flushes its pending index at every
    statement, so one statement per article would cost about three times as much.
    `outcomes`, when given, gets what became of each item in turn (`UNCHANGED`, `INSERTED`
    or `UPDATED`): the poller counts each feed of a group apart.
    """
    batch = list(items)
    if any(extraction is not None for _, extraction in batch):
        note_extraction(db)
    known = fingerprints if fingerprints is not None else [None] * len(batch)
    pending = _PendingBatch(stored_versions(db, [article.url for article, _ in batch]))
    add = pending.add
    done = [
        add(article, extraction, fingerprint)
        for (article, extraction), fingerprint in zip(batch, known, strict=True)
    ]
    result.unchanged += done.count(UNCHANGED)
    if outcomes is not None:
        outcomes += done
    keys = [entry.keys for entry in pending.entries]
    if candidates is None:
        pending.group(_StoredCandidates(db, keys), result)
    else:
        pending.group(candidates.lookup(db, keys), result)
        candidates.pending(pending.entries)
    pending.write(db)
    return result


def article_fingerprint(article: Article) -> int:
    """The simhash near-duplicate grouping compares (the title counts only for short bodies)."""
    return simhash(fingerprint_text(article))


def fingerprint_text(article: Article) -> str:
    """The text an article's fingerprint is taken over."""
    return article.body if len(article.body) > 200 else f"{article.title} {article.body}"


class _Entry(NamedTuple):
    """One new or changed article of a batch, in arrival order."""

    article: Article
    extraction: Extraction | None
    replace: bool  # its url is stored (or came earlier in this batch): an update
    keys: FingerprintKeys  # computed once: every lookup and the row need them


class _PendingBatch:
    """Rows to upsert, with near-duplicate lookup over both the store and this batch.

    Three passes: `add` sorts out unchanged articles (and other feeds' ones) and fingerprints
    the rest; `group` finds each one's near-duplicate (stored candidates fetched for the
    whole batch at once, then earlier articles of the batch) in arrival order; `write`
    upserts the rows.
    """

    def __init__(self, stored: dict[str, StoredVersion]) -> None:
        self.versions = stored  # url -> version, stored or earlier in this batch
        self.entries: list[_Entry] = []
        self.rows: dict[str, tuple[Any, ...]] = {}
        self.dup_of: dict[str, str | None] = {}
        # `FingerprintKeys.band_keys` -> (url, fingerprint) of the batch's first new article
        # with it, and of the later ones (one small object per key, not a list)
        self.by_band: dict[int, tuple[str, int]] = {}
        self.more: dict[int, list[tuple[str, int]]] = {}

    def add(self, article: Article, extraction: Extraction | None, fingerprint: int | None) -> int:
        """Sort out one item: `UNCHANGED` (same content, or another feed's article: skipped),
        else `INSERTED` or `UPDATED` (its url is stored or came earlier)."""
        url = article.url
        previous = self.versions.get(url)
        if previous is not None and previous.settles(article):
            return UNCHANGED
        self.versions[url] = StoredVersion(article.content_hash, article.feed_url)
        if fingerprint is None:
            fingerprint = article_fingerprint(article)
        replace = previous is not None
        self.entries.append(_Entry(article, extraction, replace, _keys(fingerprint)))
        return UPDATED if replace else INSERTED

    def group(self, stored: _StoredCandidates, result: BatchResult) -> None:
        rows, dup_ofs, by_band = self.rows, self.dup_of, self.by_band
        for article, _, replace, keys in self.entries:
            url = article.url
            dup_of = (
                article.dup_of
                or stored.first_within_distance(url, keys)
                or self._batch_duplicate(url, keys)
            )
            rows[url] = _article_row(article, keys, dup_of)
            dup_ofs[url] = dup_of
            if article.published is None:
                result.undated += 1
            if replace:
                result.updated += 1
                continue
            result.inserted += 1
            if dup_of is not None:
                result.grouped += 1
            pair = (url, keys.fingerprint)
            for key in keys.band_keys:
                if by_band.setdefault(key, pair) is not pair:  # rarely: not the first
                    self.more.setdefault(key, []).append(pair)

    def _batch_duplicate(self, url: str, keys: FingerprintKeys) -> str | None:
        by_band = self.by_band
        for key in keys.band_keys:
            first = by_band.get(key)
            if first is None:
                continue
            for other_url, other in (first, *self.more.get(key, ())):
                if other_url != url and within_distance(keys.fingerprint, other):
                    return self.dup_of[other_url] or other_url
        return None

    def write(self, db: Database) -> None:
        rows = list(self.rows.values())
        for start in range(0, len(rows), _ROWS_PER_STATEMENT):
            chunk = rows[start : start + _ROWS_PER_STATEMENT]
            db.conn.execute(_upsert_articles(len(chunk)), list(chain.from_iterable(chunk)))
        replaced = list({e.article.url: None for e in self.entries if e.replace})
        if replaced:
            delete_extraction(db, replaced)
        if all(entry.extraction is None for entry in self.entries):
            return
        found: Rows = {table: [] for table in EXTRACTION_TABLES}
        for entry in self.latest_entries():
            if entry.extraction is not None:
                extraction_rows(
                    entry.article, entry.extraction, found, self.dup_of[entry.article.url]
                )
        insert_extraction_rows(db, found)

    def latest_entries(self) -> list[_Entry]:
        """The last version of each url (a url repeated in one batch keeps the last)."""
        return list({entry.article.url: entry for entry in self.entries}.values())


_ARTICLE_COLUMNS = (
    *("url", "title", "body", "published", "source", "fetched", "content_hash", "feed_url"),
    *("guid", "dup_of", "simhash", "band0", "band1", "band2", "band3", "extra"),
)
_ROW_MARKS = f"({', '.join('?' * len(_ARTICLE_COLUMNS))})"
# 2000 x 16 variables, under SQLite's 32766: a poll's group of feeds (32 x 20 entries) is one
# statement (FTS5 flushes its pending index at each statement)
_ROWS_PER_STATEMENT = 2000
_UPSERT_ARTICLES = (
    f"insert into articles ({', '.join(_ARTICLE_COLUMNS)}) values {{values}} "
    "on conflict(url) do update set "
    + ", ".join(f"{column} = excluded.{column}" for column in _ARTICLE_COLUMNS[1:])
)


@lru_cache(maxsize=64)
def _upsert_articles(rows: int) -> str:
    """The upsert of `rows` rows."""
    return _UPSERT_ARTICLES.format(values=", ".join([_ROW_MARKS] * rows))


# json.dumps(extra, ensure_ascii=False, default=str), without building an encoder per call
_EXTRA_JSON = json.JSONEncoder(ensure_ascii=False, default=str).encode


# "YYYY-MM-DDT" of each day (by ordinal) met lately, and "00".."59"
_DAYS: dict[int, str] = {}
_TWO_DIGITS = [f"{n:02d}" for n in range(60)]


def utc_text(value: datetime) -> str:
    """`value.isoformat()` of a UTC datetime (tzinfo `UTC`), from its day's text, kept:
    isoformat formats every field anew (twice a row, a twentieth of a poll's store time)."""
    ordinal = value.toordinal()
    day = _DAYS.get(ordinal)
    if day is None:
        if len(_DAYS) >= 4096:
            _DAYS.clear()
        day = _DAYS[ordinal] = value.isoformat()[:11]
    two = _TWO_DIGITS
    clock = f"{day}{two[value.hour]}:{two[value.minute]}:{two[value.second]}"
    if value.microsecond:
        return f"{clock}.{value.microsecond:06d}+00:00"
    return f"{clock}+00:00"


def _article_row(article: Article, keys: FingerprintKeys, dup_of: str | None) -> tuple[Any, ...]:
    """The article's values in `_ARTICLE_COLUMNS` order (times as `iso` gives them)."""
    published, fetched = article.published, article.fetched  # `iso` inlined (twice a row)
    published_at: str | None = None
    if published is not None:
        published_at = utc_text(published) if published.tzinfo is UTC else utc_iso(published)
    b0, b1, b2, b3 = keys.bands
    return (
        article.url,
        article.title,
        article.body,
        published_at,
        article.source,
        utc_text(fetched) if fetched.tzinfo is UTC else utc_iso(fetched),
        article.content_hash,
        article.feed_url,
        article.guid,
        dup_of,
        keys.signed,
        b0,
        b1,
        b2,
        b3,
        _EXTRA_JSON(article.extra) if article.extra else "{}",
    )


class FingerprintKeys(NamedTuple):
    """A fingerprint with what the store derives from it: its four bands (the index keys of
    the near-duplicate lookup), its stored (signed 64-bit) value, and its bands as one key
    each for lookups over all four bands at once (`band_keys`: band number * 2**16 + value)."""

    fingerprint: int
    bands: tuple[int, int, int, int]
    signed: int
    band_keys: tuple[int, int, int, int]


def fingerprint_keys(fingerprint: int) -> FingerprintKeys:
    """`FingerprintKeys` of an (unsigned 64-bit) fingerprint: the bands are `dedupe.bands`."""
    b0 = fingerprint & 0xFFFF
    b1 = (fingerprint >> 16) & 0xFFFF
    b2 = (fingerprint >> 32) & 0xFFFF
    b3 = (fingerprint >> 48) & 0xFFFF
    signed = fingerprint - (1 << 64) if fingerprint >= 1 << 63 else fingerprint
    return FingerprintKeys(
        fingerprint, (b0, b1, b2, b3), signed, (b0, b1 | 1 << 16, b2 | 2 << 16, b3 | 3 << 16)
    )


_keys = fingerprint_keys


def band_keys(fingerprint: int) -> tuple[int, int, int, int]:
    """`FingerprintKeys.band_keys` of a fingerprint."""
    return (
        fingerprint & 0xFFFF,
        (fingerprint >> 16) & 0xFFFF | 1 << 16,
        (fingerprint >> 32) & 0xFFFF | 2 << 16,
        (fingerprint >> 48) & 0xFFFF | 3 << 16,
    )


_MAX_CANDIDATES_PER_BAND = 64
_UNSIGNED_64 = (1 << 64) - 1
# For each distinct band value that any stored article has: the (simhash, rowid) pairs of
# up to 64 stored articles that share it, read from the (band, simhash) index alone, as one
# "s,s,...;r,r,..." text (most values of a batch have none: no row for them).
_CANDIDATES = (
    "select wanted.value, (select group_concat(simhash) || ';' || group_concat(rowid) from "
    "(select simhash, rowid from articles where band{band} = wanted.value limit {limit})) "
    "from json_each(?) as wanted "
    "where exists (select 1 from articles where band{band} = wanted.value)"
)
# A band value's candidates: their simhashes, and their rowids as "r1,r2,..." (read only
# for the few that turn out close).
Candidates = tuple[list[int], str]


class _StoredCandidates:
    """Stored articles that share a band with any fingerprint of a batch (pigeonhole: two
    hashes within 3 bits agree exactly on at least one of the four bands).

    One query per band for the whole batch instead of one query per article: the lookups were
    a quarter of an ingest's time. At most 64 candidates per band value, so a crowded band
    (templated text) cannot make a batch read the whole store.
    """

    def __init__(self, db: Database, fingerprints: list[FingerprintKeys]) -> None:
        self.db = db
        self.by_band: list[dict[int, Candidates]] = [
            self._fetch(band, sorted({keys.bands[band] for keys in fingerprints}))
            for band in range(4)
        ]
        # fingerprint -> its close stored rows (only fingerprints with some)
        self.close: dict[int, set[int]] = {}
        if any(self.by_band):
            for keys in fingerprints:
                rowids = self._close_rowids(keys)
                if rowids:
                    self.close[keys.fingerprint] = rowids
        self.details: dict[int, tuple[str, str | None, str | None]] = {}
        self._fetch_details(sorted(set().union(*self.close.values())))

    def _fetch(self, band: int, values: list[int]) -> dict[int, Candidates]:
        """The candidates of each band value that has any."""
        found: dict[int, Candidates] = {}
        if not values:
            return found
        sql = _CANDIDATES.format(band=band, limit=_MAX_CANDIDATES_PER_BAND)
        for value, text in self.db.conn.execute(sql, [json.dumps(values)]).fetchall():
            simhashes, rowids = text.split(";")
            found[value] = (list(map(int, simhashes.split(","))), rowids)
        return found

    def _close_rowids(self, keys: FingerprintKeys) -> set[int]:
        """Stored rows whose simhash is within the grouping distance of the fingerprint.

        A crowded band value brings up to 64 candidates, so the distance test is inlined
        (`within_distance` per candidate was a fifth of a large ingest's lookup time).
        """
        close: set[int] = set()
        fingerprint = keys.fingerprint
        for found, value in zip(self.by_band, keys.bands, strict=True):
            candidates = found.get(value)
            if candidates is None:
                continue
            simhashes, rowids = candidates
            hits = [
                index
                for index, other in enumerate(simhashes)
                if ((fingerprint ^ other) & _UNSIGNED_64).bit_count() <= MAX_DISTANCE
            ]
            if hits:
                split = rowids.split(",")
                close.update(int(split[index]) for index in hits)
        return close

    def _fetch_details(self, rowids: list[int]) -> None:
        """url, dup_of and published of every close candidate (usually a handful per batch)."""
        for start in range(0, len(rowids), 500):
            chunk = rowids[start : start + 500]
            rows = self.db.conn.execute(
                "select rowid, url, dup_of, published from articles "
                f"where rowid in ({','.join('?' * len(chunk))})",
                chunk,
            ).fetchall()
            self.details.update({rowid: (url, dup, day) for rowid, url, dup, day in rows})

    def first_within_distance(self, url: str, keys: FingerprintKeys) -> str | None:
        """The story a new article copies: the earliest close stored article (by published,
        undated first, then rowid), or what that one copies in turn."""
        rowids = self.close.get(keys.fingerprint)
        if not rowids:
            return None
        close = [
            (day is not None, day or "", rowid, dup or other_url)
            for rowid in rowids
            for other_url, dup, day in [self.details[rowid]]
            if other_url != url
        ]
        return str(min(close)[3]) if close else None


# For each distinct band value that any stored article has: the simhashes of the first 64
# stored articles in the (band, simhash) index, the ones `_CANDIDATES` reads, as one "s,s,..."
# text.
_CANDIDATE_SIMHASHES = (
    "select wanted.value, (select group_concat(simhash) from "
    "(select simhash from articles where band{band} = wanted.value "
    "order by simhash limit {limit})) from json_each(?) as wanted "
    "where exists (select 1 from articles where band{band} = wanted.value)"
)
# The rowids of the stored articles a cached simhash stands for: the first `count` with it.
_CANDIDATE_ROWIDS = (
    "select rowid from articles where band{band} = ? and simhash = ? order by rowid limit ?"
)


def _packed(simhashes: array[int]) -> bytes:
    """Sorted signed simhashes as 8 little-endian bytes each (one small object per value)."""
    if sys.byteorder != "little":
        simhashes = array("q", simhashes)
        simhashes.byteswap()
    return simhashes.tobytes()


def _unpacked(data: bytes) -> array[int]:
    simhashes = array("q", data)
    if sys.byteorder != "little":
        simhashes.byteswap()
    return simhashes


def _close_to(data: bytes, fingerprint: int) -> set[int]:
    """The kept (packed) simhashes within the grouping distance of `fingerprint` (unsigned)."""
    if not data:
        return set()
    lanes = _close_lanes(fingerprint, int.from_bytes(data, "little"), len(data) >> 3)
    found = set()
    while lanes:
        top = lanes.bit_length() - 1  # bit 8 of a close lane
        start = (top >> 6) << 3
        found.add(int.from_bytes(data[start : start + 8], "little", signed=True))
        lanes ^= 1 << top
    return found


# What keeping a band value costs besides its simhashes (bytes object, dict slot, key).
_KEPT_VALUE_BYTES = 100
_LANE_MASKS: dict[int, tuple[int, ...]] = {}


def _lane_masks(count: int) -> tuple[int, ...]:
    masks = _LANE_MASKS.get(count)
    if masks is None:
        patterns = [1, 0x5555_5555_5555_5555, 0x3333_3333_3333_3333, 0x0F0F_0F0F_0F0F_0F0F]
        patterns += [0xFF, 0x100 - MAX_DISTANCE - 1, 0x100]
        masks = tuple(int.from_bytes(p.to_bytes(8, "little") * count, "little") for p in patterns)
        _LANE_MASKS[count] = masks
    return masks


def _close_lanes(fingerprint: int, packed: int, count: int) -> int:
    """Which of the `count` 64-bit lanes of `packed` are within the grouping distance of
    `fingerprint`: bit 8 of each such lane is set. All lanes at once (a population count per
    lane in a few whole-integer operations, none of which carries from one lane into the
    next) instead of one Python step per candidate."""
    one, m1, m2, m4, low, threshold, bit8 = _lane_masks(count)
    x = packed ^ (fingerprint * one)  # each lane: the bits that differ
    x -= (x >> 1) & m1  # bits set per 2 bits
    x = (x & m2) + ((x >> 2) & m2)  # per 4 bits
    x = (x + (x >> 4)) & m4  # per byte (at most 8)
    x += x >> 8
    x += x >> 16
    x += x >> 32  # the lane's low byte: its count (at most 64, no byte overflows)
    return ~((x & low) + threshold) & bit8  # count <= MAX_DISTANCE: bit 8 stays clear


class CandidateCache:
    """The near-duplicate candidates `_StoredCandidates` reads, kept from one batch to the next
    by a writer that writes a series of batches (an ingest): a band value's candidates are
    read from the store once, and the articles each batch adds are added to them.

    Per band value it keeps the simhashes of its first 64 articles in the (band, simhash)
    index (sorted: the 64 smallest), exactly the set `_StoredCandidates` reads; the rowids
    of the few within the grouping distance are read when needed (the first n of the index
    with that band value and simhash, n as often as the simhash is kept), so the grouping is
    the same as without the cache. Anything that could make the kept lists differ from the
    store empties it: a commit by another connection (`PRAGMA data_version`, e.g. `sitrep
    watch` writing during an ingest), another write on this connection (its total changes),
    a batch that rewrote a stored article, a failed batch. A band value's simhashes are kept
    as one bytes object (8 bytes each, `_packed`); past about `max_bytes` the cache starts
    over, so memory stays bounded.
    """

    def __init__(self, max_bytes: int = 8 << 20) -> None:
        self.bands: list[dict[int, bytes]] = [{}, {}, {}, {}]
        self.size = 0
        self.max_bytes = max_bytes
        self.stamp: tuple[int, int] | None = None
        self.added: list[FingerprintKeys] = []
        self.rewrote = False

    def clear(self) -> None:
        self.bands = [{}, {}, {}, {}]
        self.size = 0
        self.stamp = None
        self.added = []
        self.rewrote = False

    def _stamp(self, db: Database) -> tuple[int, int]:
        return int(db.execute("PRAGMA data_version").fetchone()[0]), db.conn.total_changes

    def lookup(self, db: Database, fingerprints: list[FingerprintKeys]) -> _StoredCandidates:
        """The batch's stored candidates (call inside its transaction, before it writes)."""
        if self._stamp(db) != self.stamp or self.size > self.max_bytes:
            self.clear()
        for band, known in enumerate(self.bands):
            missing = {keys.bands[band] for keys in fingerprints}.difference(known)
            if missing:
                self._fetch(db, band, sorted(missing))
        return _CachedCandidates(db, self, fingerprints)

    def _fetch(self, db: Database, band: int, values: list[int]) -> None:
        sql = _CANDIDATE_SIMHASHES.format(band=band, limit=_MAX_CANDIDATES_PER_BAND)
        known = self.bands[band]
        found = dict(db.conn.execute(sql, [json.dumps(values)]).fetchall())
        for value in values:  # a value no stored article has: kept as no simhashes
            text = found.get(value)
            simhashes = _packed(array("q", map(int, text.split(",")))) if text else b""
            known[value] = simhashes
            self.size += len(simhashes) + _KEPT_VALUE_BYTES

    def pending(self, entries: list[_Entry]) -> None:
        """The batch's articles, added once it has landed."""
        self.added = [entry.keys for entry in entries if not entry.replace]
        self.rewrote = len(self.added) < len(entries)

    def landed(self, db: Database) -> None:
        """The batch is committed: add its new articles to the kept lists."""
        if self.rewrote:  # a rewritten article leaves its old bands: ask the store again
            self.clear()
            self.stamp = self._stamp(db)
            return
        limit = _MAX_CANDIDATES_PER_BAND
        for keys in self.added:
            signed = keys.signed
            for known, value in zip(self.bands, keys.bands, strict=True):
                data = known.get(value)
                if data is None:
                    continue  # not kept: read from the store (with this row) when wanted
                if not data:  # the usual case: a band value no stored article had
                    known[value] = signed.to_bytes(8, "little", signed=True)  # `_packed`
                    self.size += 8
                    continue
                full = len(data) >= 8 * limit
                if full and signed >= int.from_bytes(data[-8:], "little", signed=True):
                    continue  # not among the 64 smallest
                simhashes = _unpacked(data)
                simhashes.insert(bisect_right(simhashes, signed), signed)
                if full:
                    simhashes.pop()
                else:
                    self.size += 8
                known[value] = _packed(simhashes)
        self.added = []
        self.stamp = self._stamp(db)


class _CachedCandidates(_StoredCandidates):
    """`_StoredCandidates` from a `CandidateCache`: the same close rows, the same details."""

    def __init__(
        self, db: Database, cache: CandidateCache, fingerprints: list[FingerprintKeys]
    ) -> None:
        self.db = db
        self.cache = cache
        self.close = {keys.fingerprint: self._close_rowids(keys) for keys in fingerprints}
        self.details = {}
        self._fetch_details(sorted(set().union(*self.close.values())))

    def _close_rowids(self, keys: FingerprintKeys) -> set[int]:
        close: set[int] = set()
        kept = [known[value] for known, value in zip(self.cache.bands, keys.bands, strict=True)]
        every = b"".join(kept)  # usually none is close: one comparison for all four bands
        if not every or not _close_lanes(
            keys.fingerprint, int.from_bytes(every, "little"), len(every) >> 3
        ):
            return close
        for band, (data, value) in enumerate(zip(kept, keys.bands, strict=True)):
            for other in _close_to(data, keys.fingerprint):
                rows = self.db.execute(
                    _CANDIDATE_ROWIDS.format(band=band),
                    [value, other, _unpacked(data).count(other)],
                ).fetchall()
                close.update(rowid for (rowid,) in rows)
        return close


EXTRACTION_TABLES = ("place_mentions", "actor_mentions", "figures", "events", "quotes")


def _precision(event: ControlEvent) -> str | None:
    """How precise an event's date is, as stored: NULL for a day (the usual), else 'month'."""
    return None if event.date is None or event.date_precision == "day" else event.date_precision


_COLUMNS = {
    "place_mentions": ("url", "place", "n", "first", "published"),
    "actor_mentions": ("url", "actor", "side", "n", "first", "published"),
    "figures": ("url", "category", "value", "low", "high", "qualifier", "grp", "place", "actor",
                "date", "sentence", "seq"),
    "events": ("url", "place", "actor", "side", "verb", "date", "date_precision", "sentence",
               "seq"),
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
    for table, name, days in DAY_TABLES:
        count_mention_days(db.conn, days, name, rows.get(table, ()))


def count_mention_days(
    conn: sqlite3.Connection, days: str, name: str, rows: Iterable[Sequence[Any]]
) -> None:
    """Add new mention rows (name second, published time last) to their per-day counts.

    One upsert per (name, day) of the batch: a trigger per inserted row cost about half of
    what writing the rows costs (removals and moves, rarer, are triggers: migration 0008).
    """
    counts = Counter((row[1], row[-1][:10]) for row in rows if row[-1] is not None)
    if not counts:
        return
    conn.executemany(
        f"insert into {days} ({name}, day, n) values (?, ?, ?) "
        f"on conflict ({name}, day) do update set n = n + excluded.n",
        [(key, day, n) for (key, day), n in counts.items()],
    )


def extraction_rows(
    article: Article,
    extraction: Extraction,
    into: Rows | None = None,
    dup_of: str | None = None,
) -> Rows:
    """The rows of every extraction table for one article (appended to `into` if given).

    `dup_of`: the article it copies, when the batch found one (else `article.dup_of`): the
    mention rows of a copy carry no published time (migration 0006).
    """
    rows: Rows = into if into is not None else {table: [] for table in EXTRACTION_TABLES}
    url = article.url
    day = article.published.date().isoformat() if article.published else None
    listed = iso(article.published) if (dup_of or article.dup_of) is None else None
    places = [(p.place, None, p.start) for p in extraction.places]
    actors = [(a.actor, a.side, a.start) for a in extraction.actors]
    rows["place_mentions"] += _counted(url, places, listed)
    rows["actor_mentions"] += _counted(url, actors, listed)
    rows["figures"] += [
        (url, f.category, f.value, f.low, f.high, f.qualifier, f.group, f.place, f.actor,
         _day(f.date) or day, f.sentence, seq)
        for seq, f in enumerate(extraction.figures)
    ]  # fmt: skip
    # an event extraction left undated (a campaign's tally) stays undated: the article's day
    # would make it a change of that day
    rows["events"] += [
        (url, e.place, e.actor, e.side, e.verb, _day(e.date), _precision(e), e.sentence, seq)
        for seq, e in enumerate(extraction.events)
    ]
    rows["quotes"] += [
        (url, q.actor, q.speaker, q.text, _day(q.date) or day) for q in extraction.quotes
    ]
    return rows


def _day(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _counted(
    url: str, mentions: Sequence[tuple[str, str | None, int]], published: str | None
) -> list[tuple[Any, ...]]:
    """One row per name: how often it occurs and where first (places have no side column)."""
    counts: dict[str, list[Any]] = {}
    for name, side, start in mentions:
        entry = counts.setdefault(name, [name, side, 0, start])
        entry[2] += 1
    return [
        (url, name, n, first, published) if side is None else (url, name, side, n, first, published)
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


def note_extraction(db: Database, *, everything: bool = False) -> None:
    """Record which extraction the stored articles carry (call inside the transaction that
    writes it, before the articles): this code's, when the store has no articles yet or
    `everything` was just re-extracted (a reindex). A store that already holds articles from
    another extraction, or from none (`ingest --no-extract`), keeps its mark: part of it is
    still out of date, and `extraction_is_current` says so until a reindex."""
    version = extraction_version()
    if get_meta(db, EXTRACTED_WITH) == version:
        return
    if everything or not db.execute("select n from counts where name = 'articles'").fetchone()[0]:
        set_meta(db, EXTRACTED_WITH, version)


def get_meta(db: Database, key: str) -> str | None:
    row = db.execute("select value from meta where key = ?", [key]).fetchone()
    return None if row is None else str(row[0])
