"""The dashboard's connections and its first read, begun before Textual is even loaded.

Nothing here imports Textual: `sitrep dashboard` starts the read, then imports the UI while
SQLite works on another thread, and the app takes over the connections and the read.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from core.profile import Profile
from core.query.articles import data_version
from core.query.dashboard import (
    ActorRow,
    FigureRow,
    HeadlineRow,
    PlaceRow,
    Reader,
    StatusInfo,
    Window,
    actor_rows,
    default_window,
    figure_rows,
    headline_rows,
    last_seen,
    place_rows,
    prefer_specific_places,
    status_info,
    top_places,
)

Clock = Callable[[], datetime]
# A profile, or a function that loads it (StartUp calls it once the side reads are running).
ProfileSource = Profile | Callable[[], Profile | None] | None
# While the start-up read runs beside Textual's start-up, the UI thread hands the GIL over
# this often (CPython's default is 5 ms): each SQLite step of the read (every row handed
# back) needs the GIL back for a moment, and at 5 ms a busy UI thread turned a 4 ms read
# into ~60 ms. At 0.5 ms the 1M-article read still landed ~10 ms after the screen was
# composed and waiting for it (bench_dashboard, 8 alternating runs: wait + fill, median
# 16 -> 6.5 ms at 25 us); a switch happens only when a reader asks for the GIL.
START_UP_SWITCH_INTERVAL = 0.000025


@dataclass
class PanesData:
    """Everything the main screen shows, read in one worker pass."""

    status: StatusInfo
    headlines: list[HeadlineRow] = field(default_factory=list)
    places: list[PlaceRow] = field(default_factory=list)
    actors: list[ActorRow] = field(default_factory=list)
    figures: list[FigureRow] = field(default_factory=list)


@dataclass
class SideReads:
    """Panes read beside the main ones, already running: actors on the second connection;
    figures (None: read after the main panes, on the main connection)."""

    actors: Future[list[ActorRow]]
    figures: Future[list[FigureRow]] | None = None


def read_panes(
    readers: tuple[Reader, Reader],
    *,
    tracked: list[str],
    now: datetime,
    window: Window,
    seen_before: datetime | None,
    side: SideReads | None = None,
    broad: frozenset[str] = frozenset(),
) -> PanesData:
    """Every pane's rows (on a worker thread): actors on the second connection, in parallel
    with the rest on the main one (SQLite releases the GIL while it reads); `side`: those
    begun already.

    The actors are the longest read (a sample of recent articles with their places); the
    main connection's panes and the figures take about as long together, so the two
    connections finish about together."""
    main, second = readers
    if side is not None:
        return _main_panes(
            main, side, tracked, now=now, window=window, seen_before=seen_before, broad=broad
        )
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="sitrep-read") as pool:
        side = SideReads(actors=pool.submit(second.run, actor_rows, now=now, window=window))
        return _main_panes(
            main, side, tracked, now=now, window=window, seen_before=seen_before, broad=broad
        )


def _main_panes(
    main: Reader,
    side: SideReads,
    tracked: list[str],
    *,
    now: datetime,
    window: Window,
    seen_before: datetime | None,
    broad: frozenset[str],
) -> PanesData:
    status = main.run(status_info)
    headlines = main.run(
        headline_rows, now=now, window=window, seen_before=seen_before, tracked=tracked
    )
    places = main.run(place_rows, tracked, now=now)
    if side.figures is None:
        figures = main.run(figure_rows, now=now, window=window)
    else:
        figures = side.figures.result()
    return PanesData(
        status=status,
        headlines=headlines,
        places=places,
        actors=prefer_specific_places(side.actors.result(), broad),
        figures=figures,
    )


class StartUp:
    """Three connections (panes, the live poll, parallel pane reads), what the first read
    needs (window, last look, tracked places) and the first read itself, running.

    `profile` may be a function that loads it: it is called once the reads that need no
    profile (actors, figures) are running, so SQLite works while the profile loads."""

    def __init__(
        self,
        db_path: Path,
        *,
        profile: ProfileSource,
        clock: Clock,
        window: Window | None = None,
        reader: Reader | None = None,
    ) -> None:
        """Raises StoreError (core.store) for a file that cannot be a database; `reader`:
        the panes' connection, opened already."""
        self.reader = reader or Reader(db_path)
        self.window: Window = window or self.reader.run(default_window, clock())
        self.poll_reader = Reader(db_path)
        self.second_reader = Reader(db_path)
        now = clock()
        self._usual_switch = sys.getswitchinterval()
        sys.setswitchinterval(min(self._usual_switch, START_UP_SWITCH_INTERVAL))
        pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="sitrep-first-read")
        # Actors on the second connection, figures on the main one: neither needs the profile,
        # so both start now; the main panes follow the figures on the main connection.
        side = SideReads(
            actors=pool.submit(self.second_reader.run, actor_rows, now=now, window=self.window),
            figures=pool.submit(self.reader.run, figure_rows, now=now, window=self.window),
        )
        try:
            self._prepare(profile)
        except BaseException:
            pool.shutdown(wait=True)
            self._restore_switch()
            self.close()
            raise
        self.first_read: Future[PanesData] | None = self._start(pool, now, side)

    def _prepare(self, profile: ProfileSource) -> None:
        """The last look, the data version, the profile and the places it tracks."""
        self.seen_before = self.poll_reader.run(last_seen)
        self.version = self.poll_reader.run(data_version)
        self.profile = profile() if callable(profile) else profile
        tracked = [p.name for p in self.profile.tracked_places()] if self.profile else []
        self.tracked = tracked or self.reader.run(top_places)
        self.broad = self.profile.broad_places() if self.profile else frozenset()

    @property
    def readers(self) -> tuple[Reader, Reader]:
        return self.reader, self.second_reader

    def _start(self, pool: ThreadPoolExecutor, now: datetime, side: SideReads) -> Future[PanesData]:
        """The queries release the GIL, so the first paint waits for max(start-up, queries)
        instead of their sum; until the read is done the GIL changes hands more often."""
        future = pool.submit(
            read_panes,
            self.readers,
            tracked=self.tracked,
            broad=self.broad,
            now=now,
            window=self.window,
            seen_before=self.seen_before,
            side=side,
        )
        pool.shutdown(wait=False)
        future.add_done_callback(lambda _: self._restore_switch())
        return future

    def _restore_switch(self) -> None:
        sys.setswitchinterval(self._usual_switch)

    def take_first_read(self) -> Future[PanesData] | None:
        """The first read, once (the main screen shows it; later reads are its own)."""
        first, self.first_read = self.first_read, None
        return first

    def close(self) -> None:
        for reader in (self.reader, self.poll_reader, self.second_reader):
            reader.close()
