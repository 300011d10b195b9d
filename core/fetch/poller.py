"""One poll round over a set of feeds: fetch, parse, full text, extract, store.

Each feed's new entries, their extraction and the feed's new HTTP state (validators, status,
error, next fetch time) are written in ONE transaction, so a crash never records a feed as
fetched without its entries. Feeds are fetched concurrently (limits in the Fetcher); writes
happen on the event loop's thread, one feed at a time, or, when forked workers parse a big
round, on a writer thread with its own connection (`RoundWriter`): a few feeds that are ready
together in one transaction (`_queue_write`).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import gc
import logging
import multiprocessing
import os
import random
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal

try:
    import fcntl
except ImportError:  # not on Windows
    fcntl = None  # type: ignore[assignment]

from sqlite_utils import Database

from core.fetch.client import Fetcher, FetchResult
from core.fetch.feedlist import ExtractFn
from core.fetch.feedrow import write_feed_row
from core.fetch.fulltext import PageBudget, with_full_text
from core.fetch.guard import Resolver, UrlGuard, host_is_private, system_resolver
from core.fetch.settings import FetchSettings
from core.fetch.workers import (
    FeedJob,
    FeedStep,
    FeedWrite,
    extract_batch,
    extract_safely,
    next_interval,
    parse_here,
    prepare_extractor,
    sort_articles,
    start_worker,
    store_feed,
    success_state,
    take_feed,
    take_feed_here,
    worker_ready,
    write_feed,
    write_in_turn,
)
from core.fetch.writer import RoundWriter
from core.models import Article, Extraction, Feed, utcnow
from core.store import BatchResult, StoreError, database_file, write_transaction
from core.text import clean_line

log = logging.getLogger(__name__)
Status = Literal["ok", "not_modified", "error"]
# Rounds with at least this many feeds parse, extract and store in worker processes
# (feedparser, extraction and the writes are CPU-bound; below this, starting the workers
# costs more than it saves).
PARSE_POOL_MIN_FEEDS = 50
PARSE_POOL_MAX_WORKERS = 4
# Forked workers' rounds: the feeds that queue up while the writer thread writes are its
# next batch (`write_in_turn`: one transaction, one statement where they may share it).
# Without that thread (its connection would not open), feeds parsed while others are still
# being parsed wait for them, up to this many, or this long; a feed nothing else is being
# parsed beside is written at once.
WRITE_GROUP_MAX_FEEDS = 32
WRITE_GROUP_MAX_WAIT = 0.25
# Documents handed to forked workers at a time: enough to keep them parsing while this
# process is busy (~30-60 ms), few enough that an extraction (queued behind them)
# is not held up for long.
FORKED_PARSE_QUEUE = 32
# The cyclic collector's youngest generation is collected after this many allocations
# (net of frees) while a round runs, not Python's 700: a round allocates and frees a lot
# (responses, unpickled documents, rows), and ~180 collections of a 200-feed round
# found next to nothing for ~0.07 CPU-s; the threshold is restored when the last round ends.
ROUND_GC_THRESHOLD = 20_000
# The pipes between this process and its workers hold this much (Linux's default: 64 KiB,
# about one parsed feed): a worker hands its result over and goes on parsing even when
# this process is busy writing and reads it a little later.
WORKER_PIPE_BYTES = 1 << 20
# Imported once by the forkserver, so each worker starts with them loaded.
_WORKER_MODULES = ["core.fetch.workers"]
_EXTRACTION_MODULES = ["core.extract.pipeline"]


@dataclass
class FeedOutcome:
    """What polling one feed did (a line of `sitrep fetch`, an object of its --json)."""

    url: str
    status: Status
    http_status: int | None = None
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    wire_bytes: int = 0

    def line(self) -> str:
        if self.status == "error":
            code = f" {self.http_status}" if self.http_status else ""
            return f"error{code}  {self.error}"
        if self.status == "not_modified":
            return f"304 not modified  {self.url}"
        changed = f", {self.updated} updated" if self.updated else ""
        note = f"  (warning: {self.warnings[0]})" if self.warnings else ""
        return f"ok {self.new} new{changed}  {self.url}{note}"

    def as_json(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "status": self.status,
            "http_status": self.http_status,
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "error": self.error,
            "warnings": self.warnings,
        }


@dataclass
class RoundReport:
    """One poll round: every feed's outcome and how long it took."""

    started: datetime
    outcomes: list[FeedOutcome] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def failed(self) -> int:
        return sum(o.status == "error" for o in self.outcomes)

    @property
    def new(self) -> int:
        return sum(o.new for o in self.outcomes)

    @property
    def wire_bytes(self) -> int:
        return sum(o.wire_bytes for o in self.outcomes)

    def log_line(self, number: int) -> str:
        counts = {s: sum(o.status == s for o in self.outcomes) for s in ("ok", "not_modified")}
        feeds = f"{len(self.outcomes)} feed{'' if len(self.outcomes) == 1 else 's'}"
        return (
            f"{self.started:%Y-%m-%dT%H:%M:%SZ} round {number}: {feeds}, "
            f"{counts['ok']} ok, {counts['not_modified']} not modified, {self.failed} errors, "
            f"{self.new} new articles, {self.seconds:.1f}s"
        )


def backoff_seconds(
    failures: int,
    interval: float,
    settings: FetchSettings,
    rng: random.Random,
    retry_after: float | None = None,
) -> float:
    """Wait after the `failures`-th failure in a row: doubling, capped, jittered.

    Jitter (50-100% of the step) keeps many failing feeds from retrying in lockstep; a
    server's Retry-After is honoured when longer, up to `retry_after_cap`.
    """
    base = max(settings.retry_base, float(interval))
    step = min(settings.max_backoff, base * float(2 ** max(0, failures - 1)))
    delay = step * rng.uniform(0.5, 1.0)
    if retry_after is not None:
        delay = max(delay, min(retry_after, settings.retry_after_cap))
    return delay


class Poller:
    """Polls feeds into `db`. `extract` annotates each new article (None: store without).

    `profile` (the core.profile.Profile behind `extract`) lets the worker processes of a
    big round build their own extractor, so extraction runs on every core.
    """

    def __init__(
        self,
        db: Database,
        *,
        settings: FetchSettings | None = None,
        extract: ExtractFn | None = None,
        profile: Any | None = None,
        resolver: Resolver = system_resolver,
        clock: Callable[[], datetime] = utcnow,
        rng: random.Random | None = None,
        on_feed: Callable[[FeedOutcome], None] | None = None,
    ) -> None:
        self.db = db
        self.settings = settings or FetchSettings()
        self.extract = extract
        self.profile = profile
        self.resolver = resolver
        self.clock = clock
        self.rng = rng or random.Random()
        self.on_feed = on_feed
        self._pool: asyncio.Future[ProcessPoolExecutor | None] | None = None
        self._pool_wanted = False
        self._forked = False  # the pool's workers were forked from this process: it writes
        self._db_file = database_file(db)  # None (in memory): no workers, they could not share it
        self._parsing: asyncio.Semaphore | None = None
        self._forked_parsing: asyncio.Semaphore | None = None
        # Forked workers' rounds: feeds waiting to be written together (and for their
        # result), how many feeds are being parsed or extracted meanwhile.
        self._writes: list[FeedWrite] = []
        self._queued: list[asyncio.Future[BatchResult]] = []
        self._writer: RoundWriter | None = None  # forked workers' rounds: writes there
        self._in_flight = 0  # batches handed to the writer thread and not yet written
        self._busy = 0
        self._flush_timer: asyncio.TimerHandle | None = None

    async def _workers(self, wait: bool = True) -> ProcessPoolExecutor | None:
        """The round's worker pool, started on first need (a 304-only round starts none);
        None while it is still starting unless `wait`.

        While no other thread runs, the workers are forked from this process: a fork costs
        a few milliseconds, where a forkserver's start (a new interpreter importing
        feedparser, pydantic, sqlite-utils...) costs a few tenths of a CPU second. They
        then only parse, fingerprint and extract (with the extractor this process built
        before forking them, and keeps for its later rounds), and this process writes
        (`_take_forked`).
        Otherwise they start in a thread from a forkserver (the event loop goes on
        downloading meanwhile) and write on their own connections.
        """
        if self._pool is None and self._pool_wanted:
            self._pool_wanted = False
            profile = self.profile if self.extract else None
            if profile is not None and _can_fork():
                prepare_extractor(profile)  # inherited by every forked worker
            if _can_fork():  # (still: building the extractor started no thread)
                pool = _forked_pool(profile)
                self._forked = pool is not None
                if pool is not None and self._db_file is not None:
                    self._writer = RoundWriter.open(self._db_file)  # (after the fork)
                self._pool = asyncio.get_running_loop().create_future()
                self._pool.set_result(pool)
            else:
                start = functools.partial(_worker_pool, profile, self._db_file)
                self._pool = asyncio.ensure_future(asyncio.to_thread(start))
        if self._pool is None or not (wait or self._pool.done()):
            return None
        return await self._pool

    async def poll(self, feeds: list[Feed]) -> RoundReport:
        """Poll every feed once, concurrently; outcomes in the order the feeds were given."""
        report = RoundReport(started=self.clock())
        began = time.perf_counter()
        budget = PageBudget(self.settings.fulltext_budget)
        self._pool_wanted = len(feeds) >= PARSE_POOL_MIN_FEEDS and self._db_file is not None
        self._parsing = asyncio.Semaphore(2 * PARSE_POOL_MAX_WORKERS)
        self._forked_parsing = asyncio.Semaphore(FORKED_PARSE_QUEUE)
        self._writes, self._queued, self._busy, self._in_flight = [], [], 0, 0
        with _fewer_collections():
            try:
                if any(_cannot_be_unchanged(feed) for feed in feeds):
                    await self._workers(wait=False)  # start now: a document is coming
                async with Fetcher(self.settings) as fetcher:
                    tasks = [self._poll_reporting(fetcher, feed, budget) for feed in feeds]
                    report.outcomes = list(await asyncio.gather(*tasks))
            finally:
                await self._stop_workers()
        report.seconds = time.perf_counter() - began
        return report

    async def _stop_workers(self) -> None:
        task, self._pool = self._pool, None
        pool = await task if task is not None else None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        writer, self._writer = self._writer, None
        if writer is not None:
            writer.close()  # blocking (a thread of asyncio's would stop the next round forking)

    async def _take(self, job: FeedJob) -> FeedStep:
        """Parse, sort and store a fetched feed (`take_feed`): in a worker process when this
        round has a pool, which then also stores it unless the extraction must be done here
        (an extractor without the profile it was built from). Workers forked from this
        process parse and extract only; this process stores (`_take_forked`).

        While the pool is starting (its processes import their modules: a few tenths of a
        second) the feed is parsed and sorted here, so this process does not sit idle
        meanwhile; a worker extracts and stores its entries (`_write`), so the event loop
        never waits on a worker's write lock nor builds an extractor of its own.
        """
        pool = await self._workers(wait=False)
        if self._pool is not None and not self._pool.done():
            return take_feed(self.db, job, None)
        if pool is not None and self._forked:
            try:
                return await self._take_forked(pool, job)
            except BrokenProcessPool:
                await self._retire_workers()
        elif pool is not None and self._parsing is not None:
            writes = self.profile is not None or not self.extract
            try:
                # Few feeds queued at a time: the write of a feed whose entries waited for
                # their pages (queued after them) must not wait for the whole round.
                async with self._parsing:
                    loop = asyncio.get_running_loop()
                    return await loop.run_in_executor(pool, take_feed_here, job, writes)
            except BrokenProcessPool:
                await self._retire_workers()
        return take_feed(self.db, job, self._extract_all)

    async def _take_forked(self, pool: ProcessPoolExecutor, job: FeedJob) -> FeedStep:
        """`take_feed` with forked workers: a worker parses the document and fingerprints
        its entries, this process sorts out the new and changed ones (reading the store),
        a worker extracts them, and this process writes them with the feed's state in one
        transaction, with other feeds ready at the same time (`_queue_write`). Entries that
        wait for their page are left to `_write`."""
        assert self._forked_parsing is not None
        loop = asyncio.get_running_loop()
        self._busy += 1
        try:
            async with self._forked_parsing:
                parsed, prints = await loop.run_in_executor(pool, parse_here, job)
            if parsed.error:
                return FeedStep(parsed)
            fresh, unchanged, rewrites = sort_articles(self.db, job.feed, parsed.articles)
            parsed.articles = []
            state = success_state(job, parsed)
            step = FeedStep(parsed, unchanged, fresh, state, rewrites=rewrites)
            if any(a.extra.get("summary_only") for a in fresh):
                return step
            extractions = await self._forked_extractions(pool, fresh)
            fingerprints = [prints.get(a.content_hash) for a in fresh]
            items = list(zip(fresh, extractions, strict=True))
            written = self._queue_write(FeedWrite(items, fingerprints, state, rewrites))
        finally:
            self._busy -= 1
            self._flush_when_due()
        step.result = await written
        step.fresh = []
        return step

    def _queue_write(self, write: FeedWrite) -> asyncio.Future[BatchResult]:
        """Queue a feed's write (forked workers' rounds); its result once written
        (`write_in_turn`: the feeds that may share a statement in one transaction, so the
        store holds what writing each feed alone, in the order they came, would give).

        With a writer thread, the queue goes to it whenever it is idle: what queued up while
        it wrote is its next batch (`_flush_when_due`, `_written`). Without one, the queue is
        written here when it is as long as the line of feeds being parsed or extracted, or
        its first feed has waited `WRITE_GROUP_MAX_WAIT` seconds.
        """
        loop = asyncio.get_running_loop()
        written: asyncio.Future[BatchResult] = loop.create_future()
        self._writes.append(write)
        self._queued.append(written)
        if self._writer is not None:
            return written  # (the callers see to `_flush_when_due`)
        if write.rewrites:
            self._flush_writes()  # alone: a later feed must find what it rewrote as it is now
        elif self._flush_timer is None:
            self._flush_timer = loop.call_later(WRITE_GROUP_MAX_WAIT, self._flush_writes)
        return written

    def _flush_when_due(self) -> None:
        """Hand the queue to the writer thread if it is idle. Without one, write the queue
        once it is as long as the line of feeds still being parsed or extracted (none: at
        once), up to `WRITE_GROUP_MAX_FEEDS`: in a big round's stream the groups are long,
        at its end (or when feeds trickle in) they are short, so the last parse is not
        followed by a long write."""
        if self._writer is not None:
            if not self._in_flight:
                self._flush_writes()
            return
        due = min(WRITE_GROUP_MAX_FEEDS, max(1, self._busy))
        if len(self._queued) >= due:
            self._flush_writes()

    def _flush_writes(self) -> None:
        """Write the queued feeds, on the round's writer thread if it has one (else here, at
        once), and hand each its result or its error."""
        if self._flush_timer is not None:
            self._flush_timer.cancel()
            self._flush_timer = None
        writes, queued = self._writes, self._queued
        self._writes, self._queued = [], []
        if not queued:
            return
        if self._writer is None:
            _hand_out(queued, write_in_turn(self.db, writes))
            return
        self._in_flight += 1
        done = self._writer.write(writes)
        done.add_done_callback(functools.partial(self._written, queued))

    def _written(
        self,
        queued: list[asyncio.Future[BatchResult]],
        done: asyncio.Future[list[BatchResult | Exception]],
    ) -> None:
        """A batch is written: its feeds get their results, and what queued meanwhile goes
        to the writer thread."""
        self._in_flight -= 1
        _hand_out_when_written(queued, done)
        if not self._in_flight:
            self._flush_writes()

    async def _forked_extractions(
        self, pool: ProcessPoolExecutor, articles: list[Article]
    ) -> list[Extraction | None]:
        """The articles' extraction: by a forked worker (its own extractor, built from the
        profile on first use), or here for an extractor given without its profile."""
        if self.extract is None or not articles:
            return [None] * len(articles)
        if self.profile is None:
            return self._extract_all(articles)
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(pool, extract_batch, articles)

    async def _write(
        self, articles: list[Article], state: Feed, rewrites: bool = True
    ) -> BatchResult:
        """Extract and write one feed's articles with its new state (one transaction).

        In a worker process when the round has a pool: the worker extracts (when it has the
        profile; else the extraction is done here) and writes on its own connection, so the
        event loop only downloads. SQLite serialises the writers. Forked workers only
        extract: this process writes (`_queue_write`).
        """
        pool = await self._workers() if articles else None
        if pool is not None and self._forked:
            written = await self._extract_and_queue(pool, articles, state, rewrites)
            if written is not None:
                return await written
        elif pool is not None:
            given = None if self.profile is not None else self._extract_all(articles)
            try:
                loop = asyncio.get_running_loop()
                return await loop.run_in_executor(pool, store_feed, articles, given, state)
            except BrokenProcessPool:
                await self._retire_workers()
        items = list(zip(articles, self._extract_all(articles), strict=True))
        return write_feed(self.db, items, state)

    async def _extract_and_queue(
        self, pool: ProcessPoolExecutor, articles: list[Article], state: Feed, rewrites: bool
    ) -> asyncio.Future[BatchResult] | None:
        """Extract (a forked worker) and queue the write; None if the workers died."""
        self._busy += 1
        try:
            extractions = await self._forked_extractions(pool, articles)
            items = list(zip(articles, extractions, strict=True))
            return self._queue_write(FeedWrite(items, [None] * len(items), state, rewrites))
        except BrokenProcessPool:
            await self._retire_workers()
            return None
        finally:
            self._busy -= 1
            self._flush_when_due()

    def _extract_all(self, articles: list[Article]) -> list[Extraction | None]:
        return [self._extraction(a) for a in articles]

    async def _retire_workers(self) -> None:
        """A worker died (killed, out of memory): the rest of the round runs in-process."""
        self._flush_writes()
        if self._pool is not None:
            log.warning("worker processes died; continuing the round in-process")
            task, self._pool = self._pool, None
            pool = await task
            if pool is not None:
                pool.shutdown(wait=False, cancel_futures=True)

    async def _poll_reporting(
        self, fetcher: Fetcher, feed: Feed, budget: PageBudget
    ) -> FeedOutcome:
        outcome = await self._poll_one(fetcher, feed, budget)
        if self.on_feed is not None:
            self.on_feed(outcome)
        return outcome

    async def _poll_one(self, fetcher: Fetcher, feed: Feed, budget: PageBudget) -> FeedOutcome:
        try:
            private = await host_is_private(feed.url, self.resolver)
            guard = UrlGuard(allow_private=private, resolver=self.resolver)
            fetched = await fetcher.get(
                feed.url,
                guard=guard,
                max_bytes=self.settings.feed_max_bytes,
                headers=_conditional_headers(feed),
            )
            return await self._after_fetch(feed, fetched, fetcher, guard, budget)
        except StoreError as exc:
            return FeedOutcome(feed.url, "error", error=f"{feed.url}: not stored ({exc})")
        except Exception as exc:  # a bug or a surprise in one feed must not end the round
            log.debug("polling %s failed", feed.url, exc_info=True)
            return FeedOutcome(
                feed.url, "error", error=f"{feed.url}: failed ({type(exc).__name__}: {exc})"
            )

    async def _after_fetch(
        self,
        feed: Feed,
        fetched: FetchResult,
        fetcher: Fetcher,
        guard: UrlGuard,
        budget: PageBudget,
    ) -> FeedOutcome:
        if fetched.error:
            return await self._store_failure(feed, fetched, fetched.error)
        if fetched.not_modified:
            return await self._store_not_modified(feed, fetched)
        step = await self._take(self._job(feed, fetched))
        if step.parsed.error:
            return await self._store_failure(feed, fetched, step.parsed.error)
        result = step.result
        if result is None:  # entries that wait for their page, or extraction done here
            fresh = [await self._complete(a, fetcher, guard, budget) for a in step.fresh]
            result = await self._write(fresh, step.state or feed, step.rewrites)
        return FeedOutcome(
            feed.url,
            "ok",
            fetched.status,
            new=result.inserted,
            updated=result.updated,
            unchanged=step.unchanged + result.unchanged,
            warnings=step.parsed.warnings,
            wire_bytes=fetched.wire_bytes,
        )

    async def _complete(
        self, article: Article, fetcher: Fetcher, guard: UrlGuard, budget: PageBudget
    ) -> Article:
        if not article.extra.get("summary_only"):
            return article
        return await with_full_text(article, fetcher, guard, budget)

    # ---- writing: one transaction per feed ----

    def _job(self, feed: Feed, fetched: FetchResult) -> FeedJob:
        """The fetched document with the feed's new HTTP state; the document adds its title,
        warnings and <ttl> (`success_state`)."""
        now = self.clock()
        state = feed.model_copy(
            update={
                "etag": validator(fetched.headers.get("etag")),
                "last_modified": validator(fetched.headers.get("last-modified")),
                "last_status": fetched.status,
                "last_ok": now,
                "last_fetch": now,
                "failures": 0,
            }
        )
        headers = {**fetched.headers, "content-location": fetched.final_url}
        return FeedJob(feed, fetched.body, headers, state, self._jitter())

    async def _store_not_modified(self, feed: Feed, fetched: FetchResult) -> FeedOutcome:
        now = self.clock()
        state = feed.model_copy(
            update={
                "etag": validator(fetched.headers.get("etag")) or feed.etag,
                "last_modified": validator(fetched.headers.get("last-modified"))
                or feed.last_modified,
                "last_status": 304,
                "last_error": None,
                "last_ok": now,
                "last_fetch": now,
                "failures": 0,
                "next_fetch": now
                + timedelta(seconds=next_interval(feed.interval, None, self._jitter())),
            }
        )
        await self._store_state(state)
        return FeedOutcome(feed.url, "not_modified", 304, wire_bytes=fetched.wire_bytes)

    async def _store_failure(self, feed: Feed, fetched: FetchResult, error: str) -> FeedOutcome:
        now = self.clock()
        failures = feed.failures + 1
        delay = backoff_seconds(
            failures, feed.interval, self.settings, self.rng, fetched.retry_after
        )
        named = clean_line(error if error.startswith(feed.url) else f"{feed.url}: {error}", 2000)
        state = feed.model_copy(
            update={
                "last_status": fetched.status,
                "last_error": clean_line(named.removeprefix(f"{feed.url}: "), 1000),
                "last_fetch": now,
                "failures": failures,
                "next_fetch": now + timedelta(seconds=delay),
            }
        )
        await self._store_state(state)
        return FeedOutcome(
            feed.url, "error", fetched.status, error=named, wire_bytes=fetched.wire_bytes
        )

    async def _store_state(self, state: Feed) -> None:
        """A feed's new state alone (a 304 or a failure): queued for the round's writer
        thread when it has one (a write here would wait for that thread's transactions),
        else written at once."""
        if self._writer is None:
            with write_transaction(self.db):
                write_feed_row(self.db, state)
            return
        written = self._queue_write(FeedWrite([], [], state, rewrites=False))
        self._flush_when_due()
        await written

    def _jitter(self) -> float:
        """A factor on a feed's interval (+-10% by default), so feeds spread out."""
        jitter = self.settings.interval_jitter
        return self.rng.uniform(1 - jitter, 1 + jitter)

    def _extraction(self, article: Article) -> Extraction | None:
        return extract_safely(self.extract, article)


def _hand_out(
    queued: list[asyncio.Future[BatchResult]], results: list[BatchResult | Exception]
) -> None:
    """Each queued feed's result, or its error."""
    for written, result in zip(queued, results, strict=True):
        if written.cancelled():
            continue
        if isinstance(result, Exception):
            written.set_exception(result)
        else:
            written.set_result(result)


def _hand_out_when_written(
    queued: list[asyncio.Future[BatchResult]],
    done: asyncio.Future[list[BatchResult | Exception]],
) -> None:
    """`_hand_out` once the writer thread is done; a failure of the whole batch (its
    connection could not open) is every feed's error."""
    if not done.cancelled() and done.exception() is None:
        _hand_out(queued, done.result())
        return
    for written in queued:
        if written.done():
            continue
        if done.cancelled():
            written.cancel()
        else:
            written.set_exception(done.exception() or RuntimeError("not written"))


_rounds_running = 0
_threshold_before: tuple[int, int, int] | None = None


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """While any round runs (rounds may overlap on one event loop): the youngest
    generation's threshold raised to `ROUND_GC_THRESHOLD` (never lowered); as it was once
    the last round ends. Forked workers inherit it."""
    global _rounds_running, _threshold_before
    if _rounds_running == 0:
        _threshold_before = gc.get_threshold()
        young, middle, old = _threshold_before
        if young:  # (0: collections were turned off; left so)
            gc.set_threshold(max(young, ROUND_GC_THRESHOLD), middle, old)
    _rounds_running += 1
    try:
        yield
    finally:
        _rounds_running -= 1
        if _rounds_running == 0 and _threshold_before is not None:
            gc.set_threshold(*_threshold_before)
            _threshold_before = None


def _can_fork() -> bool:
    """True when worker processes may be forked from this one: on Linux, while no other
    thread runs (a fork copies only the calling thread: a lock another thread held would
    stay locked in the child forever)."""
    return sys.platform.startswith("linux") and threading.active_count() == 1


def _forked_pool(profile: Any | None) -> ProcessPoolExecutor | None:
    """Worker processes forked from this one, at once (before the executor starts its
    threads); None if there is a single core, or they cannot be started. They get no
    database file: they never write."""
    # with fork, the first submit starts every worker, from this thread, now
    return _started_pool(multiprocessing.get_context("fork"), (profile, None), submits=1)


def _worker_pool(profile: Any | None, db_file: str | None) -> ProcessPoolExecutor | None:
    """Worker processes, all started and ready (blocks: call it in a thread); None if
    there is a single core, or the processes cannot be started."""
    context = multiprocessing.get_context("forkserver")  # no fork of a threaded process
    # Effective when this process starts its forkserver (the first pool): the modules are
    # imported once there, not once per worker.
    context.set_forkserver_preload(_WORKER_MODULES + (_EXTRACTION_MODULES if profile else []))
    # one task per worker: each submit starts a process while none is idle
    return _started_pool(context, (profile, db_file), submits=None)


def _started_pool(
    context: Any, initargs: tuple[Any, ...], submits: int | None
) -> ProcessPoolExecutor | None:
    """A pool of up to `PARSE_POOL_MAX_WORKERS` (one per core), its pipes widened, started
    by `submits` no-op tasks (None: one per worker, each awaited); None on a single core or
    a broken set-up (even its locks failing), and the round runs in-process."""
    workers = min(PARSE_POOL_MAX_WORKERS, os.cpu_count() or 1)
    if workers < 2:
        return None
    pool: ProcessPoolExecutor | None = None
    try:
        pool = ProcessPoolExecutor(
            workers, mp_context=context, initializer=start_worker, initargs=initargs
        )
        _widen_pipes(pool)
        started = [pool.submit(worker_ready) for _ in range(submits or workers)]
        if submits is None:
            for ready in started:
                ready.result()
    except Exception:
        log.warning("worker processes could not start; polling in-process", exc_info=True)
        if pool is not None:
            with contextlib.suppress(Exception):  # (a pool that never started may not stop)
                pool.shutdown(wait=False, cancel_futures=True)
        return None
    return pool


def _widen_pipes(pool: ProcessPoolExecutor) -> None:
    """The pool's pipes (documents to the workers, results back) made `WORKER_PIPE_BYTES`
    long, where Linux allows it: a pipe is made before the workers start and belongs to the
    pool alone. Anything missing (another platform or Python) leaves them as they are."""
    set_size = getattr(fcntl, "F_SETPIPE_SZ", None)
    if set_size is None:
        return
    for queue in (getattr(pool, "_call_queue", None), getattr(pool, "_result_queue", None)):
        writer = getattr(queue, "_writer", None)
        with contextlib.suppress(AttributeError, OSError, ValueError):
            fcntl.fcntl(writer.fileno(), set_size, WORKER_PIPE_BYTES)  # type: ignore[union-attr]


def _cannot_be_unchanged(feed: Feed) -> bool:
    """True for a feed with no validators to send (never fetched, or its server sent
    none): it cannot answer 304, so its document will need parsing."""
    return validator(feed.etag) is None and validator(feed.last_modified) is None


def _conditional_headers(feed: Feed) -> dict[str, str]:
    headers = {
        "Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9, "
        "text/xml;q=0.8, */*;q=0.5"
    }
    if etag := validator(feed.etag):
        headers["If-None-Match"] = etag
    if last_modified := validator(feed.last_modified):
        headers["If-Modified-Since"] = last_modified
    return headers


_MAX_VALIDATOR_CHARS = 1_000


def validator(value: str | None) -> str | None:
    """An ETag / Last-Modified value fit to send back: printable ASCII, bounded; else None.

    A server that sends control or non-ASCII bytes there once must not break every later
    poll of its feed (httpx refuses to send such a header: the feed would fail forever).
    """
    if not value or len(value) > _MAX_VALIDATOR_CHARS:
        return None
    return value if all(" " <= ch <= "~" for ch in value) else None


def poll_once(
    db: Database,
    feeds: list[Feed],
    **options: Any,
) -> RoundReport:
    """Run one round from synchronous code (the CLI): `Poller(db, **options).poll(feeds)`."""
    return asyncio.run(Poller(db, **options).poll(feeds))
