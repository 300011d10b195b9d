"""Worker processes of a big poll round: parsing, extraction and writing off the event loop.

feedparser, the extraction pipeline and the store's writes (fingerprints, full-text index)
are CPU-bound; in worker processes they use every core while the parent downloads. Each
worker builds its extractor once (from the profile passed at start), not per article, and
writes on its own connection to the round's database file: each feed's articles, their
extraction and the feed's state in one transaction, as in-process.
"""

from __future__ import annotations

import os
import signal
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from sqlite_utils import Database

from core.dedupe import simhashes, within_distance
from core.fetch.feedrow import stored_with_band, write_feed_row, write_feed_rows
from core.fetch.parse import ParsedFeed, parse_feed_bytes
from core.models import Article, Extraction, Feed
from core.query.feeds import urls_by_guid
from core.store import (
    _MAX_CANDIDATES_PER_BAND,
    INSERTED,
    UNCHANGED,
    UPDATED,
    BatchResult,
    article_fingerprint,
    band_keys,
    fingerprint_text,
    open_db,
    settled,
    stored_versions,
    write_articles,
    write_transaction,
)
from core.text import clean_line

if TYPE_CHECKING:  # the feed list (and the guard's asyncio) is not a worker's business
    from core.fetch.feedlist import ExtractFn

Extractions = Callable[[list[Article]], list[Extraction | None]]
MAX_TTL_SECONDS = 24 * 3600.0

_profile: Any | None = None
_extract: ExtractFn | None = None
_db_file: str | None = None
_db: Database | None = None


# The extractor the polling process built for a profile before forking its workers (kept
# for its later rounds): each forked worker inherits it instead of building its own.
_prepared: tuple[Any, ExtractFn | None] | None = None


def start_worker(profile: Any | None, db_file: str | None = None) -> None:
    """Pool initializer: ignore Ctrl-C (the parent decides when to stop), keep the profile
    (or the extractor built from it before the fork) and the database file."""
    global _profile, _db_file, _extract
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _silence_stderr()
    _profile = profile
    _db_file = db_file
    if profile is not None and _prepared is not None and _prepared[0] is profile:
        _profile, _extract = None, _prepared[1]


def prepare_extractor(profile: Any) -> None:
    """In the polling process, before it forks its workers: build the extractor for
    `profile` (once: later rounds with the same profile reuse it), so that every worker
    inherits it. Building it takes a few tenths of a second; each worker built its own."""
    global _prepared
    if _prepared is not None and _prepared[0] is profile:
        return
    try:
        from core.fetch.feedlist import extractor_for

        _prepared = (profile, extractor_for(profile))
    except Exception:  # the workers store the articles without extraction, as they would
        _prepared = (profile, None)


@dataclass
class FeedJob:
    """A fetched feed document, and what its new state will be, on its way to the store."""

    feed: Feed
    body: bytes
    headers: dict[str, str]  # the response's, with content-location set to the final URL
    state: Feed  # the new HTTP state (validators, status, times); the document adds the rest
    jitter: float  # this poll's factor on the feed's interval


@dataclass
class FeedStep:
    """How far a job went: parsed (or failed), and stored unless some entries wait for
    their page (`fresh`, to be completed and written with `state`)."""

    parsed: ParsedFeed  # its articles are dropped once sorted into fresh and unchanged
    unchanged: int = 0
    fresh: list[Article] = field(default_factory=list)
    state: Feed | None = None
    result: BatchResult | None = None  # set once the feed is stored
    rewrites: bool = True  # some fresh entry updates a stored article (False: all are new)


def take_feed(db: Database, job: FeedJob, extract_all: Extractions | None) -> FeedStep:
    """Parse a fetched feed, keep its new or changed entries, and store them with the feed's
    state in one transaction, extracting with `extract_all`; with None, or when an entry
    carries only a summary (its page is fetched first), stop short of storing."""
    parsed = parse_feed_bytes(job.body, url=job.feed.url, headers=job.headers)
    if parsed.error:
        return FeedStep(parsed)
    fresh, unchanged, rewrites = sort_articles(db, job.feed, parsed.articles)
    parsed.articles = []
    step = FeedStep(parsed, unchanged, fresh, success_state(job, parsed), rewrites=rewrites)
    if extract_all is None or any(a.extra.get("summary_only") for a in fresh):
        return step
    items = list(zip(fresh, extract_all(fresh), strict=True))
    step.result, step.fresh = write_feed(db, items, step.state or job.state), []
    return step


def changed_articles(
    db: Database, feed: Feed, articles: list[Article]
) -> tuple[list[Article], int]:
    """Entries not yet stored with this content; an entry's identity is its guid.

    An entry whose link another feed (or a file) already stored is left out as unchanged:
    a feed may not rewrite another's article (the store refuses it too)."""
    fresh, unchanged, _ = sort_articles(db, feed, articles)
    return fresh, unchanged


def sort_articles(
    db: Database, feed: Feed, articles: list[Article]
) -> tuple[list[Article], int, bool]:
    """`changed_articles`, and whether any fresh entry rewrites a stored article (its url
    is stored: a changed entry of this feed)."""
    stored_by_guid = urls_by_guid(db, feed.url, (a.guid or "" for a in articles))
    unique: dict[str, Article] = {}
    for article in articles:
        known_url = stored_by_guid.get(article.guid or "")
        if known_url and known_url != article.url:
            article = article.model_copy(update={"url": known_url})
        unique.setdefault(article.url, article)
    stored = stored_versions(db, unique)
    fresh = [a for a in unique.values() if not settled(stored, a)]
    return fresh, len(unique) - len(fresh), any(a.url in stored for a in fresh)


def success_state(job: FeedJob, parsed: ParsedFeed) -> Feed:
    """The feed's state after a fetch that brought a document (written with its entries)."""
    now = job.state.last_fetch
    interval = next_interval(job.feed.interval, parsed.ttl_minutes, job.jitter)
    return job.state.model_copy(
        update={
            "title": job.feed.title or parsed.title,
            "html_url": job.feed.html_url or parsed.html_url,
            "last_error": clean_line("; ".join(parsed.warnings), 1000) or None,
            "next_fetch": None if now is None else now + timedelta(seconds=interval),
        }
    )


def next_interval(interval: float, ttl_minutes: int | None, jitter: float) -> float:
    """The feed's interval (at least its declared <ttl>, up to a day), times `jitter`."""
    seconds = float(interval)
    if ttl_minutes:
        seconds = max(seconds, min(ttl_minutes * 60.0, MAX_TTL_SECONDS))
    return seconds * jitter


def take_feed_here(job: FeedJob, writes: bool) -> FeedStep:
    """`take_feed` in a worker, on its own connection, extracting with its own extractor
    (`writes` False: the parent extracts, so it writes too)."""
    return take_feed(_database(), job, extract_batch if writes else None)


def worker_ready() -> int:
    """A no-op task: the pool has started this worker once it returns."""
    return os.getpid()


def write_feed(
    db: Database,
    items: list[tuple[Article, Extraction | None]],
    state: Feed,
    fingerprints: Sequence[int | None] | None = None,
) -> BatchResult:
    """A feed's articles with their extraction, and the feed's new state: one transaction,
    so a crash never records the feed as fetched without its entries. `fingerprints` (one
    per item, None where not computed) were computed elsewhere (`parse_here`)."""
    with write_transaction(db):
        result = write_articles(db, items, BatchResult(), fingerprints)
        write_feed_row(db, state)
    return result


@dataclass
class FeedWrite:
    """What one feed's transaction stores: its new or changed articles with their
    extraction and near-duplicate fingerprints (None: computed here), and the feed's new
    state."""

    items: list[tuple[Article, Extraction | None]]
    fingerprints: Sequence[int | None]
    state: Feed
    rewrites: bool  # some item may update a stored article (unknown: True)
    # band key (`FingerprintKeys.band_keys`: band and value) -> the items' fingerprints
    by_band: dict[int, list[int]] = field(init=False)

    def __post_init__(self) -> None:
        fingerprints = [
            article_fingerprint(article) if known is None else known
            for (article, _), known in zip(self.items, self.fingerprints, strict=True)
        ]
        self.fingerprints = fingerprints
        # one comprehension: a feed's articles rarely share a band value (then, rebuilt)
        self.by_band = {key: [fp] for fp in fingerprints for key in band_keys(fp)}
        if len(self.by_band) < 4 * len(fingerprints):
            self.by_band = {}
            for fingerprint in fingerprints:
                for key in band_keys(fingerprint):
                    self.by_band.setdefault(key, []).append(fingerprint)


class WriteGroup:
    """Feeds to write in one transaction and one statement (`write_feeds`), admitted only
    when that stores exactly what writing each alone, in the same order, would.

    Writing feed B after feed A, B's near-duplicates are looked up among stored articles
    (A's included) first, the earliest published copy winning; written in one statement
    with A, A's articles are part of B's batch instead, where the first one found wins. The
    look-ups go through band values (pigeonhole: fingerprints within 3 bits share one of
    their four 16-bit bands), at most `_MAX_CANDIDATES_PER_BAND` stored rows per value. So
    B joins A's group only if none of B's articles is close to one of the group's, and no
    band value they share has so many stored rows that A's would push a candidate out of
    B's look-up. A feed that rewrites a stored article is written alone: a later feed of
    its statement would still find that article (its bands, its extraction) as it was."""

    def __init__(self) -> None:
        self.writes: list[FeedWrite] = []
        self.by_band: dict[int, list[int]] = {}  # as `FeedWrite.by_band`, for the group

    def admits(self, db: Database, write: FeedWrite) -> bool:
        if not self.writes:
            return True
        if write.rewrites or self.writes[-1].rewrites:
            return False
        shared = write.by_band.keys() & self.by_band.keys()
        for key in shared:
            others = self.by_band[key]
            if any(within_distance(mine, other) for mine in write.by_band[key] for other in others):
                return False
        for key in shared:  # the store is read only when no article is close
            crowd = _MAX_CANDIDATES_PER_BAND - len(self.by_band[key])
            if crowd <= 0 or stored_with_band(db, key >> 16, key & 0xFFFF, crowd) >= crowd:
                return False
        return True

    def add(self, write: FeedWrite) -> None:
        self.writes.append(write)
        mine, theirs = self.by_band, write.by_band
        joined = {key: mine[key] + theirs[key] for key in theirs.keys() & mine.keys()}
        mine.update(theirs)  # the lists are shared, never changed: joined ones are new
        mine.update(joined)


def write_feeds(db: Database, writes: list[FeedWrite]) -> list[BatchResult | Exception]:
    """Several feeds' articles and states in ONE transaction and one multi-row upsert
    (FTS5 flushes its pending index at every statement, and each call looks up stored
    versions and near-duplicate candidates: per feed, that was most of a poll's store time).

    Stores what `write_feed` for each feed in turn would, for a `WriteGroup`'s feeds; a url
    two feeds carry is stored once, by the first, as then. Each feed's result (new, updated,
    unchanged) is its own. On any error each feed is written alone, so one feed's failure
    never loses the others' entries; that feed's result is its error."""
    if len(writes) == 1:
        return [_write_alone(db, writes[0])]
    outcomes: list[int] = []
    try:
        with write_transaction(db):
            items = [item for write in writes for item in write.items]
            fingerprints = [known for write in writes for known in write.fingerprints]
            write_articles(db, items, BatchResult(), fingerprints, outcomes=outcomes)
            write_feed_rows(db, [write.state for write in writes])
    except Exception:
        return [_write_alone(db, write) for write in writes]
    return list(_results_per_feed(writes, outcomes))


def write_in_turn(db: Database, writes: list[FeedWrite]) -> list[BatchResult | Exception]:
    """The feeds written in the order given, what writing each alone in turn stores: each run
    of feeds a `WriteGroup` admits together in one transaction (`write_feeds`). Admission
    reads the store as the earlier runs left it, so it is decided here, at write time."""
    results: list[BatchResult | Exception] = []
    group = WriteGroup()
    for write in writes:
        if not group.admits(db, write):
            results += write_feeds(db, group.writes)
            group = WriteGroup()
        group.add(write)
    if group.writes:
        results += write_feeds(db, group.writes)
    return results


def _write_alone(db: Database, write: FeedWrite) -> BatchResult | Exception:
    try:
        return write_feed(db, write.items, write.state, write.fingerprints)
    except Exception as exc:
        return exc


def _results_per_feed(writes: list[FeedWrite], outcomes: list[int]) -> list[BatchResult]:
    """Each feed's counts from what became of its items (`write_articles`' outcomes, the
    feeds' items in turn): an item settled by the stored version of its url, or by an
    earlier item's (another feed's, or the same content), is unchanged; else it is new or,
    over a stored url, updated."""
    results = []
    start = 0
    for write in writes:
        done = outcomes[start : start + len(write.items)]
        start += len(write.items)
        results.append(
            BatchResult(
                inserted=done.count(INSERTED),
                updated=done.count(UPDATED),
                unchanged=done.count(UNCHANGED),
            )
        )
    return results


def parse_here(job: FeedJob) -> tuple[ParsedFeed, dict[str, int]]:
    """In a worker forked from the polling process (which writes): parse the document and
    fingerprint its entries, by content hash (the fingerprint depends on nothing else).

    A forked worker never touches the database: an SQLite connection's state must not be
    used across a fork, and the parent holds one."""
    parsed = parse_feed_bytes(job.body, url=job.feed.url, headers=job.headers)
    texts = [fingerprint_text(article) for article in parsed.articles]  # voted all at once
    hashes = (article.content_hash for article in parsed.articles)
    return parsed, dict(zip(hashes, simhashes(texts), strict=True))


def store_feed(
    articles: list[Article], extractions: list[Extraction | None] | None, state: Feed
) -> BatchResult:
    """In a worker: extract (unless `extractions` are given) and write one feed."""
    if extractions is None:
        extractions = extract_batch(articles)
    return write_feed(_database(), list(zip(articles, extractions, strict=True)), state)


def _database() -> Database:
    global _db
    if _db is None:
        if _db_file is None:
            raise RuntimeError("this worker has no database file")
        _db = open_db(_db_file)
    return _db


def extract_batch(articles: list[Article]) -> list[Extraction | None]:
    """Extraction of each article (None where it fails or there is no extractor).

    The extractor is built on the first batch, so a round that only parses never pays for it.
    """
    global _extract, _profile
    if _extract is None and _profile is not None:
        profile, _profile = _profile, None
        try:
            from core.fetch.feedlist import extractor_for

            _extract = extractor_for(profile)
        except Exception:  # no extractor is better than losing the articles
            _extract = None
    return [extract_safely(_extract, article) for article in articles]


def extract_safely(extract: ExtractFn | None, article: Article) -> Extraction | None:
    if extract is None:
        return None
    try:
        return extract(article)
    except Exception:  # extraction bugs must not lose the article
        return None


def _silence_stderr() -> None:
    """Workers share the terminal: under the dashboard a stray warning would draw over it."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    os.close(devnull)
    warnings.simplefilter("ignore")
