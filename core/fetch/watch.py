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
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from core.config import state_dir
from core.fetch.feedlist import ExtractFn, lazy_extractor, load_region, seed_feeds
from core.fetch.poller import FeedOutcome, Poller, RoundReport
from core.fetch.settings import FetchSettings
from core.models import utcnow
from core.query.feeds import due_feeds, next_due
from core.store import StoreError, open_db

log = logging.getLogger(__name__)
IDLE_CHECK_SECONDS = 60.0  # with no --interval, how often to look for feeds that fell due
ROUND_SLACK_SECONDS = 5.0


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
        region = profile if profile is not None else load_region(profile_path)
        seed_feeds(db, region)
        watcher = _Watcher(db, interval, settings, lazy_extractor(region), region)
        watcher.hooks(echo, on_round, on_feed, log_path or watch_log_path())
        while not stop.is_set():
            watcher.round()
            stop.wait(_sleep_seconds(next_due(db, utcnow(), interval), interval))
    finally:
        db.close()
    return 0


@dataclass
class _Watcher:
    """What every round of one watch shares: database, limits, extractor, hooks."""

    db: Database
    interval: float | None
    settings: FetchSettings | None
    extract: ExtractFn | None
    region: Any
    number: int = 0
    echo: Callable[[str], None] | None = None
    on_round: Callable[[RoundReport], None] | None = None
    on_feed: Callable[[int, FeedOutcome], None] | None = None
    log_path: Path | None = None

    def hooks(
        self,
        echo: Callable[[str], None] | None,
        on_round: Callable[[RoundReport], None] | None,
        on_feed: Callable[[int, FeedOutcome], None] | None,
        log_path: Path,
    ) -> None:
        self.echo, self.on_round, self.on_feed, self.log_path = echo, on_round, on_feed, log_path

    def round(self) -> None:
        """Poll the feeds that are due, if any, and log one line about it."""
        # Feeds falling due within the next moments join this round, not a round of their own.
        slack = ROUND_SLACK_SECONDS if self.interval is None else self.interval / 10
        feeds = due_feeds(self.db, utcnow(), self.interval, slack=min(ROUND_SLACK_SECONDS, slack))
        if not feeds:
            return
        self.number += 1
        try:
            report = asyncio.run(self._poller().poll(feeds))
        except (StoreError, OSError) as exc:  # a locked db or a full disk: say so, go on
            self._log(f"{utcnow():%Y-%m-%dT%H:%M:%SZ} round {self.number} failed: {exc}")
            return
        self._log(report.log_line(self.number))
        if self.on_round is not None:
            self.on_round(report)

    def _poller(self) -> Poller:
        number, on_feed = self.number, self.on_feed
        hook = None if on_feed is None else (lambda outcome: on_feed(number, outcome))
        return Poller(
            self.db,
            settings=self.settings,
            extract=self.extract,
            profile=self.region,
            on_feed=hook,
        )

    def _log(self, line: str) -> None:
        if self.echo is not None:
            self.echo(line)
        if self.log_path is None:
            return
        try:
            with self.log_path.open("a", encoding="utf-8") as handle:
                handle.write(line + "\n")
        except OSError as exc:
            log.warning("cannot write the watch log %s: %s", self.log_path, exc)


def _sleep_seconds(due: datetime | None, interval: float | None) -> float:
    ceiling = interval if interval is not None else IDLE_CHECK_SECONDS
    if due is None:
        return ceiling
    return max(0.05, min(ceiling, (due - utcnow()).total_seconds()))
