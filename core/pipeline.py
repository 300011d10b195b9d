"""Streaming ingest: files and folders in, articles (with their extraction) in the store out.

One article's path reads straight down: a reader yields items from a file, extraction annotates
new or changed articles, and every ~500 articles go to the store in one transaction. Nothing is
held beyond the current batch, so a 1 GB JSON Lines file ingests in flat memory. Per-file and
per-line problems are collected as data; only a store that cannot be written (read-only,
locked) stops the run.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from sqlite_utils import Database

from core.fetch.parse import FUTURE_TOLERANCE
from core.ingest.base import InputError, Item, ItemError, ItemWarning
from core.ingest.dispatch import reader_for
from core.models import Article, Extraction, Feed, content_hash, utcnow
from core.query.feeds import get_feeds
from core.store import (
    BatchResult,
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
        run.writer.close()
    return summary


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

    def all(self) -> None:
        for path, size in zip(self.files, self.sizes, strict=True):
            self.summary.files += 1
            self.file(path)
            self.bytes_done += size
            self.report()
        self.flush()
        self.count(self.writer.wait())
        self.write_feeds()

    def file(self, path: Path) -> None:
        reader = reader_for(path)
        assert reader is not None
        try:
            for item in reader(path):
                if isinstance(item, Article):
                    self.check(item, path)
                self.take(item)
        except InputError as exc:
            self.summary.fail(path, str(exc))
        except OSError as exc:
            self.summary.fail(path, exc.strerror or str(exc))
        except StoreError:
            raise
        except Exception as exc:  # a parser bug must not stop the other files
            self.summary.fail(path, f"could not be read ({type(exc).__name__}: {exc})")

    def check(self, article: Article, path: Path) -> None:
        """Fix what a reader leaves for the pipeline to say: a future date, a long body."""
        if _in_future(article):
            self.summary.warn(_undate(article, path))
        if len(article.body) > MAX_BODY_CHARS:
            self.summary.warn(_cut_body(article, path))

    def take(self, item: Item) -> None:
        if isinstance(item, Article):
            self.batch.append(item)
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

        Fingerprints are computed here, so with the background writer they overlap the
        previous batch's write; an article that looks unchanged gets none (the writer
        re-checks inside its transaction and fingerprints it if it did change after all).
        """
        if not self.batch:
            return
        batch, self.batch = self.batch, []
        if self.extractor is not None:  # extraction decides on the store as written so far
            self.count(self.writer.wait())
        known = stored_versions(self.db, [a.url for a in batch])
        items = [(a, self.extract(a, known)) for a in batch]
        fingerprints = [None if settled(known, a) else article_fingerprint(a) for a in batch]
        self.count(self.writer.submit(items, fingerprints))

    def count(self, result: BatchResult | None) -> None:
        if result is not None:
            self.summary.ingested += result.inserted
            self.summary.updated += result.updated
            self.summary.duplicates += result.unchanged
            self.summary.grouped += result.grouped

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

    def submit(self, items: Items, fingerprints: Sequence[int | None]) -> BatchResult | None:
        """Write `items` (or start writing them); returns the result of a batch that landed."""
        return write_batch(self.db, items, fingerprints)

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

    def submit(self, items: Items, fingerprints: Sequence[int | None]) -> BatchResult | None:
        landed = self.wait()
        self.in_flight = self.thread.submit(self._write, items, fingerprints)
        return landed

    def _write(self, items: Items, fingerprints: Sequence[int | None]) -> BatchResult:
        if self.connection is None:
            self.connection = open_db(self.path, threadsafe=True)
        return write_batch(self.connection, items, fingerprints)

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
