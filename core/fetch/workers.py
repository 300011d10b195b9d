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
from typing import Any

from sqlite_utils import Database

from core.fetch.feedlist import ExtractFn, extractor_for
from core.models import Article, Extraction, Feed
from core.store import BatchResult, open_db, upsert_feed, write_articles, write_transaction

_profile: Any | None = None
_extract: ExtractFn | None = None
_db_file: str | None = None
_db: Database | None = None


def start_worker(profile: Any | None, db_file: str | None = None) -> None:
    """Pool initializer: ignore Ctrl-C (the parent decides when to stop), keep the profile
    and the database file."""
    global _profile, _db_file
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _silence_stderr()
    _profile = profile
    _db_file = db_file


def worker_ready() -> int:
    """A no-op task: the pool has started this worker once it returns."""
    return os.getpid()


def write_feed(
    db: Database, items: list[tuple[Article, Extraction | None]], state: Feed
) -> BatchResult:
    """A feed's articles with their extraction, and the feed's new state: one transaction,
    so a crash never records the feed as fetched without its entries."""
    with write_transaction(db):
        result = write_articles(db, items, BatchResult())
        upsert_feed(db, state)
    return result


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
