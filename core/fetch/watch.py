"""Watch mode: poll due feeds round after round until asked to stop.

`run_watch` is blocking and owns its own database connection, so it can run in the main
thread (`sitrep watch`, which turns SIGINT/SIGTERM into `stop_event.set()`) or in a thread
the dashboard starts (`sitrep dashboard --watch`). A stop request never interrupts a round:
the round in progress finishes (its feeds are written) and then the loop returns.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from core.config import state_dir
from core.fetch.feedlist import (
    ExtractFn,
    default_extractor,
    extractor_for,
    seed_feeds,
    seed_from_profile,
)
from core.fetch.poller import FeedOutcome, Poller, RoundReport
from core.fetch.settings import FetchSettings
from core.models import utcnow
from core.query.feeds import due_feeds, next_due
from core.store import StoreError, open_db

log = logging.getLogger(__name__)
IDLE_CHECK_SECONDS = 60.0  # with no --interval, how often to look for feeds that fell due


def watch_log_path() -> Path:
    return state_dir() / "watch.log"


def run_watch(
    db_path: str | Path,
    interval: float | None = None,
    stop_event: threading.Event | None = None,
    *,
    settings: FetchSettings | None = None,
    profile_path: Path | None = None,
    profile: Any | None = None,
    echo: Callable[[str], None] | None = None,
    on_round: Callable[[RoundReport], None] | None = None,
    on_feed: Callable[[int, FeedOutcome], None] | None = None,
    log_path: Path | None = None,
) -> int:
    """Poll until `stop_event` is set; returns the exit status (0).

    profile: an already loaded core.profile.Profile (else `profile_path`, else built-in):
    its feeds seed an empty feed list; it configures extraction.
    interval: seconds between polls of a healthy feed (None: each feed's own interval).
    echo: receives the one-line summary of each round (the CLI prints it to stderr; the
    dashboard leaves it None). The line always goes to `log_path` (state dir's watch.log).
    on_round / on_feed(round_number, outcome): progress hooks, called on this thread.
    """
    stop = stop_event or threading.Event()
    db = open_db(db_path)
    try:
        if profile is None:
            seed_from_profile(db, profile_path)
            extract = default_extractor(profile_path)
        else:
            seed_feeds(db, profile)
            extract = extractor_for(profile)
        path = log_path or watch_log_path()
        number = 0
        while not stop.is_set():
            number = _one_round(
                db, number, interval, settings, extract, path, echo, on_round, on_feed
            )
            stop.wait(_sleep_seconds(next_due(db, utcnow(), interval), interval))
    finally:
        db.close()
    return 0


def _one_round(
    db: Database,
    number: int,
    interval: float | None,
    settings: FetchSettings | None,
    extract: ExtractFn | None,
    path: Path,
    echo: Callable[[str], None] | None,
    on_round: Callable[[RoundReport], None] | None,
    on_feed: Callable[[int, FeedOutcome], None] | None,
) -> int:
    """Poll the feeds that are due (if any); returns the number of the last round run."""
    feeds = due_feeds(db, utcnow(), interval)
    if not feeds:
        return number
    number += 1
    poller = Poller(db, settings=settings, extract=extract, on_feed=_round_hook(on_feed, number))
    try:
        report = asyncio.run(poller.poll(feeds))
    except (StoreError, OSError) as exc:  # a locked or full disk: say so, try next round
        _log_round(f"{utcnow():%Y-%m-%dT%H:%M:%SZ} round {number} failed: {exc}", path, echo)
        return number
    _log_round(report.log_line(number), path, echo)
    if on_round is not None:
        on_round(report)
    return number


def _round_hook(
    on_feed: Callable[[int, FeedOutcome], None] | None, number: int
) -> Callable[[FeedOutcome], None] | None:
    if on_feed is None:
        return None
    return lambda outcome: on_feed(number, outcome)


def _sleep_seconds(due: datetime | None, interval: float | None) -> float:
    ceiling = interval if interval is not None else IDLE_CHECK_SECONDS
    if due is None:
        return ceiling
    return max(0.05, min(ceiling, (due - utcnow()).total_seconds()))


def _log_round(line: str, path: Path, echo: Callable[[str], None] | None) -> None:
    if echo is not None:
        echo(line)
    try:
        with path.open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")
    except OSError as exc:
        log.warning("cannot write the watch log %s: %s", path, exc)
