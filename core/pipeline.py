"""Streaming ingest: files and folders in, articles (with their extraction) in the store out.

One article's path reads straight down: a reader yields items from a file, extraction annotates
new or changed articles, and every ~500 articles go to the store in one transaction. Nothing is
held beyond the current batch, so a 1 GB JSON Lines file ingests in flat memory. Per-file and
per-line problems are collected as data; only a store that cannot be written (read-only,
locked) stops the run.

Batches are written by a background thread on its own connection while the next is read; an
input of 8 MiB or more is also read, cleaned and fingerprinted by a forked child process, so
reading and writing use both cores (`_ForkedSource`). Either way the same events arrive in
the same order, and the store ends up the same.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from core.fetch.parse import FUTURE_TOLERANCE
from core.ingest.base import InputError, Item, ItemError, ItemWarning
from core.ingest.dispatch import reader_for
from core.models import Article, Extraction, Feed, content_hash, utcnow
from core.query.feeds import get_feeds
from core.store import (
    BatchResult,
    CandidateCache,
    StoredVersion,
    StoreError,
    article_fingerprint,
    database_file,
    open_db,
    settled,
    stored_versions,
    upsert_feed,
    write_batch,
    write_transaction,
)
from core.text import MAX_BODY_CHARS

BATCH_SIZE = 500
# Inputs at least this large are read, cleaned and fingerprinted in a child process (the
# second core) while this one writes. Below it the fork does not pay: both processes copy
# the pages of the shared heap they write (tens of milliseconds), as much as a few thousand
# articles gain.
PARALLEL_MIN_BYTES = 8 * 1024 * 1024
# Events the child sends per message (a message is pickled whole).
_EVENTS_PER_MESSAGE = 64
# While ingesting, a thread that waits for the GIL gets it after 1 ms instead of 5: the writer
# needs it back after every SQLite call, and the reader would otherwise hold it 5 ms each time.
_SWITCH_INTERVAL = 0.001
# A huge file of bad lines must not fill memory with messages: keep the first ones, count all.
MAX_KEPT_MESSAGES = 1_000

Extract = Callable[[Article], Extraction]


@dataclass
class IngestProgress:
    """Where a run is: files done of total, bytes of finished files, articles read so far."""

    files_done: int
    files_total: int
    bytes_done: int
    bytes_total: int
    articles: int


Progress = Callable[[IngestProgress], None]


@dataclass
class IngestSummary:
    """What a run did, for the one-line summary and the exit status."""

    ingested: int = 0
    updated: int = 0
    duplicates: int = 0
    grouped: int = 0
    undated: int = 0  # new or changed articles stored without a publication date
    failed: int = 0
    feeds_added: int = 0
    files: int = 0
    failures: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    fatal: str | None = None
    interrupted: bool = False

    def fail(self, where: object, reason: str = "") -> None:
        """Count a failure; keep its message (`where` alone when it already says why)."""
        self.failed += 1
        if len(self.failures) < MAX_KEPT_MESSAGES:
            self.failures.append(f"{where}: {reason}" if reason else str(where))

    def warn(self, message: str) -> None:
        if len(self.warnings) < MAX_KEPT_MESSAGES:
            self.warnings.append(message)

    @property
    def landed(self) -> int:
        """Inputs that reached the store (including unchanged re-reads)."""
        return self.ingested + self.updated + self.duplicates + self.feeds_added

    def line(self) -> str:
        """ "ingested 812, updated 3, skipped 2 duplicates, failed 1" (+ grouped/feeds)."""
        parts = [
            f"ingested {self.ingested}",
            f"updated {self.updated}",
            f"skipped {self.duplicates} duplicates",
            f"failed {self.failed}",
        ]
        if self.grouped:
            parts.append(f"grouped {self.grouped} near-duplicates")
        if self.feeds_added:
            parts.append(f"added {self.feeds_added} feeds")
        return ", ".join(parts)


def ingest_paths(
    db: Database,
    paths: Iterable[Path | str],
    *,
    extractor: Extract | None = None,
    progress: Progress | None = None,
) -> IngestSummary:
    """Ingest every supported file under `paths` (sorted, recursive, hidden files skipped)."""
    summary = IngestSummary()
    files = collect_files([Path(p) for p in paths], summary)
    run = _Run(db, extractor, progress, summary, files)
    interval = sys.getswitchinterval()
    sys.setswitchinterval(min(interval, _SWITCH_INTERVAL))
    try:
        run.all()
    except StoreError as exc:
        summary.fatal = str(exc)
    except KeyboardInterrupt:
        # Ctrl-C: the batches already committed stay; the one being written rolls back
        # (or lands whole, if it was committing), and the summary counts what landed.
        summary.interrupted = True
        run.cancel()
    finally:
        sys.setswitchinterval(interval)
        run.source.close()
        run.writer.close()
    if summary.undated:
        summary.notes.append(undated_note(summary.undated))
    return summary


def undated_note(count: int) -> str:
    """Why articles show as undated, and how to date them: no date line, published field,
    date in the file name or dateline with a year was found (a wire dateline like 'BEIRUT,
    Feb 6 (Reuters)' has no year to place it in)."""
    have = "1 new or changed article has" if count == 1 else f"{count} new or changed articles have"
    return (
        f"{have} no publication date (shown as undated): add a 'Date:' line (text files), "
        "a 'published' field (JSON) or a dateline with its year"
    )


def collect_files(paths: list[Path], summary: IngestSummary) -> list[Path]:
    """The files to read, in order; missing paths and unsupported files are noted."""
    files: list[Path] = []
    skipped: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = list(_walk(path, summary))
            files += [f for f in found if reader_for(f)]
            skipped += [f for f in found if not reader_for(f)]
            if not found:
                summary.notes.append(f"{path}: no files in this folder")
        elif not path.exists():
            summary.fail(path, "no such file or directory")
        elif not path.is_file():
            summary.fail(path, "not a regular file")
        elif reader_for(path) is None:
            summary.fail(path, f"unsupported file type {path.suffix or '(no extension)'!r}")
        else:
            files.append(path)
    if skipped:
        example = ", ".join(str(p) for p in skipped[:3])
        summary.notes.append(f"skipped {len(skipped)} files of unknown type (e.g. {example})")
    return files


# A folder's own documentation is not an article (an explicit path still is read).
_DOCUMENTATION = frozenset({"readme", "license", "licence", "changelog", "contributing", "notice"})


def _walk(folder: Path, summary: IngestSummary) -> Iterator[Path]:
    """Regular files under `folder`, sorted; hidden files/folders and READMEs are skipped.

    Hidden folders (.git, .cache) are pruned, not walked; an unreadable folder is a failure.
    """

    def unreadable(error: OSError) -> None:
        summary.fail(error.filename, error.strerror or str(error))

    for root, folders, names in os.walk(folder, onerror=unreadable):
        folders[:] = sorted(name for name in folders if not name.startswith("."))
        for name in sorted(names):
            path = Path(root) / name
            if name.startswith(".") or path.stem.lower() in _DOCUMENTATION:
                continue
            if path.is_file():
                yield path
            elif not path.is_dir() and not path.is_symlink():
                # a FIFO, socket or device in a folder: named, not read (reading could block)
                summary.warn(f"{path}: not a regular file; skipped")


class _Run:
    """One ingest run: reads files in order and writes batches as they fill."""

    def __init__(
        self,
        db: Database,
        extractor: Extract | None,
        progress: Progress | None,
        summary: IngestSummary,
        files: list[Path],
    ) -> None:
        self.db = db
        self.extractor = extractor
        self.progress = progress
        self.summary = summary
        self.files = files
        self.batch: list[Article] = []
        self.feeds: list[Feed] = []
        self.sizes = [_size(f) for f in files]
        self.bytes_done = 0
        self.articles = 0
        # A second connection could not write while the caller holds a transaction open.
        path = None if db.conn.in_transaction else database_file(db)
        self.writer: _Writer = _BackgroundWriter(path) if path else _Writer(db)
        # Started last, before the writer's thread exists (a fork copies only this thread).
        self.source: _Source = (
            _ForkedSource(files)
            if path and sum(self.sizes) >= PARALLEL_MIN_BYTES and can_fork()
            else _Source(files)
        )
        self.writer.start()  # its thread opens its connection while the first batch is read
        self.fingerprints: list[int | None] = []

    def all(self) -> None:
        sizes = iter(self.sizes)
        for event in self.source:
            kind = event[0]
            if kind == _ITEM:
                self.take(event[1], event[2])
            elif kind == _FILE_START:
                self.summary.files += 1
            elif kind == _FILE_DONE:
                self.bytes_done += next(sizes)
                self.report()
            elif kind == _FAILED:
                self.summary.fail(event[1], event[2])
            else:
                self.summary.warn(event[1])
        self.flush()
        self.count(self.writer.wait())
        self.write_feeds()

    def take(self, item: Item, fingerprint: int | None = None) -> None:
        if isinstance(item, Article):
            self.batch.append(item)
            self.fingerprints.append(fingerprint)
            self.articles += 1
            if len(self.batch) >= BATCH_SIZE:
                self.flush()
                self.report()
        elif isinstance(item, Feed):
            self.feeds.append(item)
        elif isinstance(item, ItemError):
            self.summary.fail(item)
        elif isinstance(item, ItemWarning):
            self.summary.warn(str(item))

    def flush(self) -> None:
        """Extract what is new or changed, then hand the batch to the writer (one transaction).

        Fingerprints not computed by a reading child are computed here, so with the background
        writer they overlap the previous batch's write; an article that looks unchanged gets
        none (the writer re-checks inside its transaction and fingerprints it if it did change
        after all).
        """
        if not self.batch:
            return
        batch, self.batch = self.batch, []
        given, self.fingerprints = self.fingerprints, []
        if self.extractor is None and None not in given:  # nothing to decide before writing
            self.count(self.writer.submit([(a, None) for a in batch], given))
            return
        if self.extractor is not None:  # extraction decides on the store as written so far
            self.count(self.writer.wait())
        known = stored_versions(self.db, [a.url for a in batch])
        items = [(a, self.extract(a, known)) for a in batch]
        fingerprints = [
            None if settled(known, a) else _or_computed(fingerprint, a)
            for a, fingerprint in zip(batch, given, strict=True)
        ]
        self.count(self.writer.submit(items, fingerprints))

    def count(self, result: BatchResult | None) -> None:
        if result is not None:
            self.summary.ingested += result.inserted
            self.summary.updated += result.updated
            self.summary.duplicates += result.unchanged
            self.summary.grouped += result.grouped
            self.summary.undated += result.undated

    def cancel(self) -> None:
        """Ctrl-C: stop the batch being written; count it only if it landed anyway."""
        self.count(self.writer.cancel())

    def extract(self, article: Article, known: dict[str, StoredVersion]) -> Extraction | None:
        if self.extractor is None or settled(known, article):
            return None
        try:
            return self.extractor(article)
        except Exception as exc:  # keep the article; say what went wrong
            self.summary.warn(f"{article.url}: extraction failed ({exc})")
            return None

    def write_feeds(self) -> None:
        """Add feeds not yet in the list; known feeds keep their title and fetch state."""
        if not self.feeds:
            return
        known = {feed.url for feed in get_feeds(self.db, [f.url for f in self.feeds])}
        new = list({f.url: f for f in self.feeds if f.url not in known}.values())
        with write_transaction(self.db):
            for feed in new:
                upsert_feed(self.db, feed)
        self.summary.feeds_added += len(new)
        self.summary.duplicates += len(self.feeds) - len(new)

    def report(self) -> None:
        if self.progress is not None:
            self.progress(
                IngestProgress(
                    files_done=self.summary.files,
                    files_total=len(self.files),
                    bytes_done=self.bytes_done,
                    bytes_total=sum(self.sizes),
                    articles=self.articles,
                )
            )


def _or_computed(fingerprint: int | None, article: Article) -> int:
    return fingerprint if fingerprint is not None else article_fingerprint(article)


# What a source yields, as plain tuples (the child process pickles them):
# (_ITEM, item, fingerprint or None), (_FILE_START, path), (_FILE_DONE, path),
# (_FAILED, path, reason), (_WARNING, message).
_ITEM, _FILE_START, _FILE_DONE, _FAILED, _WARNING, _END = range(6)
Event = tuple[Any, ...]


def read_events(files: list[Path], *, fingerprint: bool) -> Iterator[Event]:
    """Every file's items in order, checked (and fingerprinted if asked), with per-file
    failures as events: one unreadable file never stops the others."""
    for path in files:
        yield (_FILE_START, path)
        yield from _file_events(path, fingerprint)
        yield (_FILE_DONE, path)


def _file_events(path: Path, fingerprint: bool) -> Iterator[Event]:
    reader = reader_for(path)
    assert reader is not None
    try:
        for item in reader(path):
            if isinstance(item, Article):
                for warning in _check(item, path):
                    yield (_WARNING, warning)
                yield (_ITEM, item, article_fingerprint(item) if fingerprint else None)
            else:
                yield (_ITEM, item, None)
    except InputError as exc:
        yield (_FAILED, path, str(exc))
    except OSError as exc:
        yield (_FAILED, path, exc.strerror or str(exc))
    except Exception as exc:  # a parser bug must not stop the other files
        yield (_FAILED, path, f"could not be read ({type(exc).__name__}: {exc})")


def _check(article: Article, path: Path) -> list[str]:
    """Fix what a reader leaves for the pipeline to say: a future date, a long body."""
    warnings = []
    if _in_future(article):
        warnings.append(_undate(article, path))
    if len(article.body) > MAX_BODY_CHARS:
        warnings.append(_cut_body(article, path))
    return warnings


class _Source:
    """The files' events, read in this process (fingerprints are left to the batch)."""

    def __init__(self, files: list[Path]) -> None:
        self.files = files

    def __iter__(self) -> Iterator[Event]:
        return read_events(self.files, fingerprint=False)

    def close(self) -> None:
        pass


def can_fork() -> bool:
    """A child process can be forked safely: POSIX, and no other thread (a lock another
    thread held at the fork would stay locked in the child)."""
    return hasattr(os, "fork") and sys.platform != "darwin" and threading.active_count() == 1


class _ForkedSource(_Source):
    """The files' events, read, cleaned and fingerprinted by a forked child process.

    Parsing, normalising and fingerprinting are most of an ingest's Python time, and the
    writer thread needs the same GIL: in a second process they run on the second core while
    this one writes. The child sends the events in order, in messages of 64 through a pipe;
    a full pipe blocks it, so it is never more than a few messages ahead (flat memory). It
    ignores Ctrl-C: the parent handles it and ends the child.
    """

    def __init__(self, files: list[Path]) -> None:
        super().__init__(files)
        context = multiprocessing.get_context("fork")
        self.receiver, sender = context.Pipe(duplex=False)
        self.process = context.Process(
            target=_read_in_child, args=(files, sender), name="sitrep-ingest-reader", daemon=True
        )
        # The child shares this process's memory until either writes a page. Frozen objects
        # are left alone by the garbage collector, whose passes would otherwise touch (and so
        # copy) every page of the inherited heap in the child.
        gc.freeze()
        try:
            self.process.start()
        finally:
            gc.unfreeze()
        sender.close()

    def __iter__(self) -> Iterator[Event]:
        while True:
            try:
                message = self.receiver.recv()
            except EOFError:
                yield (_FAILED, "ingest", "the reading process stopped before the end")
                return
            for event in message:
                if event[0] == _END:
                    return
                yield event

    def close(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.receiver.close()


def _read_in_child(files: list[Path], sender: Connection) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        message: list[Event] = []
        for event in read_events(files, fingerprint=True):
            message.append(event)
            if len(message) >= _EVENTS_PER_MESSAGE:
                sender.send(message)
                message = []
        message.append((_END,))
        sender.send(message)
    except BaseException:  # the parent reports a child that stopped early; no traceback
        pass
    finally:
        sender.close()


def _in_future(article: Article) -> bool:
    return article.published is not None and article.published > utcnow() + FUTURE_TOLERANCE


def _cut_body(article: Article, path: Path) -> str:
    """Cut a body over the size limit; the warning line naming file, url and original size.

    Readers keep bodies whole (their files are size-bounded) so the cut is said, not silent.
    """
    size = len(article.body)
    article.body = article.body[:MAX_BODY_CHARS]
    article.content_hash = content_hash(article.title, article.body)
    cut = f"body of {size:,} characters cut to the first {MAX_BODY_CHARS:,}"
    return str(ItemWarning(path, f"{article.url}: {cut}"))


def _undate(article: Article, path: Path) -> str:
    """Drop a future date (kept in extra as claimed); the warning line naming file and url.

    A typo like 2029 for 2020 would otherwise keep the article on top of every "latest" list
    for years; feed entries get the same treatment in core/fetch/parse.py.
    """
    assert article.published is not None
    claimed = article.published.isoformat()
    article.extra["published_claimed"] = claimed
    article.published = None
    return str(
        ItemWarning(path, f"{article.url}: published {claimed} is in the future; kept undated")
    )


Items = list[tuple[Article, Extraction | None]]


class _Writer:
    """Writes each batch as it is handed over, on the caller's connection (in-memory or
    temporary databases, which a second connection cannot open)."""

    def __init__(self, db: Database) -> None:
        self.db = db
        # The near-duplicate candidates of the run's batches, kept from one to the next.
        self.candidates = CandidateCache()

    def start(self) -> None:
        """Get ready to write (the background writer opens its connection)."""

    def submit(self, items: Items, fingerprints: Sequence[int | None]) -> BatchResult | None:
        """Write `items` (or start writing them); returns the result of a batch that landed."""
        return write_batch(self.db, items, fingerprints, self.candidates)

    def wait(self) -> BatchResult | None:
        """The result of the batch still being written, once it has landed (None if none)."""
        return None

    def cancel(self) -> BatchResult | None:
        return None

    def close(self) -> None:
        pass


class _BackgroundWriter(_Writer):
    """Writes batches in one background thread, on its own connection, one batch at a time.

    SQLite does not hold the GIL while it inserts and indexes (FTS tokenising is most of a
    write), so the next batch is read, cleaned and fingerprinted while this one is written:
    with two cores free an ingest costs about the larger of parsing and writing, not their
    sum. Batches land in order, each in one transaction, and at most one is in flight, so
    memory stays flat. A write's StoreError is raised by the next `submit` or `wait`.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self.connection: Database | None = None  # opened and used in the writer thread
        self.thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sitrep-ingest")
        self.in_flight: Future[BatchResult] | None = None
        self.candidates = CandidateCache()

    def start(self) -> None:
        """Open the connection in the thread now, not when the first batch is ready: the
        reader is still reading it (a run of a thousand articles saves a few milliseconds).
        A connection that cannot be opened fails the first `submit` or `wait`, with nothing
        written, as a failed first write would."""
        self.in_flight = self.thread.submit(self._connect)

    def _connect(self) -> BatchResult:
        self._database()
        return BatchResult()  # nothing written

    def _database(self) -> Database:
        if self.connection is None:
            self.connection = open_db(self.path, threadsafe=True)
        return self.connection

    def submit(self, items: Items, fingerprints: Sequence[int | None]) -> BatchResult | None:
        landed = self.wait()
        self.in_flight = self.thread.submit(self._write, items, fingerprints)
        return landed

    def _write(self, items: Items, fingerprints: Sequence[int | None]) -> BatchResult:
        return write_batch(self._database(), items, fingerprints, self.candidates)

    def wait(self) -> BatchResult | None:
        future = self.in_flight
        if future is None:
            return None
        try:
            result = future.result()
        except KeyboardInterrupt:
            raise  # still in flight: `cancel` stops it and collects what landed
        except BaseException:
            self.in_flight = None
            raise
        self.in_flight = None
        return result

    def cancel(self) -> BatchResult | None:
        if self.connection is not None:
            self.connection.conn.interrupt()  # the running statement fails: a rollback
        try:
            return self.wait()
        except StoreError:
            return None

    def close(self) -> None:
        """Wait for the thread (a failed batch was reported already) and close the connection."""
        self.thread.shutdown(wait=True)
        if self.connection is not None:
            self.connection.conn.close()


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def load_extractor() -> Extract | None:
    """The default profile's extractor, or None while the extraction package is not installed.

    Only the absence of `core.extract.pipeline` itself means "no extraction": any other import
    error is a real bug and propagates.
    """
    try:
        from core.extract.pipeline import Extractor
    except ModuleNotFoundError as exc:
        if exc.name != "core.extract.pipeline":
            raise
        return None
    from core.profile import load_profile

    extractor = Extractor(load_profile(None))
    return extractor.extract
