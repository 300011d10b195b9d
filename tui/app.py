"""The sitrep dashboard app: bindings, stylesheet, screens and the live-update poll."""

# ruff: noqa: E402  (the imports follow the collector's pause, see below)

from __future__ import annotations

import gc
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import ClassVar

# Everything this module loads (Textual, rich, the core's models) lives as long as the process:
# the cyclic collector is paused while it loads (it would scan those objects over and over for
# garbage there is none of), and at the end it resumes with all of them frozen.
_COLLECTING = gc.isenabled()
gc.disable()

from textual import work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from core.models import utcnow
from core.profile import Profile
from core.query.articles import data_version
from core.query.dashboard import Reader, Window, mark_seen
from tui.csscache import CachedStylesheet
from tui.messages import DatabaseChanged, OpenActor, OpenArticle, OpenFigure, OpenPlace
from tui.screens.main import MainScreen
from tui.startup import Clock, StartUp
from tui.widgets.palette import JumpProvider

DEFAULT_POLL_SECONDS = 2.0


def report_worker_error(app: App[object], event: Worker.StateChanged) -> None:
    """A failed worker (a query, the poll, the watcher) becomes one notification.

    Worker.StateChanged does not bubble, so the app and every screen that runs workers call
    this from their own handler; the UI keeps running.
    """
    if event.state == WorkerState.ERROR:
        message = f"{event.worker.name}: {event.worker.error}"
        app.notify(message, title="Error", severity="error", markup=False)


class SitrepApp(App[None]):
    """Headlines, places, actors and figures of one database, live."""

    CSS_PATH = Path(__file__).with_name("app.tcss")
    TITLE = "sitrep"
    COMMANDS = App.COMMANDS | {JumpProvider}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("f1", "help", "Help", show=False),
        Binding("slash", "search", "Search", key_display="/"),
    ]

    def __init__(
        self,
        db_path: Path,
        *,
        profile: Profile | None = None,
        clock: Clock | None = None,
        poll_interval: float = DEFAULT_POLL_SECONDS,
        watch: Callable[[threading.Event], object] | None = None,
        notice: str | None = None,
        window: Window | None = None,
        start: StartUp | None = None,
    ) -> None:
        """`start`: the connections and first read, begun already (by `sitrep dashboard`,
        before it loaded Textual); else they begin here, before Textual's own init (which
        loads the terminal driver), so the read overlaps all of Textual's start-up."""
        self.db_path = db_path
        self.profile = profile
        self.clock = clock or utcnow
        self.start = start or StartUp(db_path, profile=profile, clock=self.clock, window=window)
        self.reader, self.poll_reader = self.start.reader, self.start.poll_reader
        self.window: Window = self.start.window
        self.seen_before = self.start.seen_before
        self.tracked = self.start.tracked
        self.broad_places = self.start.broad
        self._version = self.start.version
        super().__init__()
        # The parsed CSS of an earlier start, read back instead of parsed (tui.csscache).
        self.stylesheet = CachedStylesheet(variables=self.stylesheet._variables)
        self._collect_after_first_frame = False
        self.poll_interval = poll_interval
        self.watch_feeds = watch
        self.stop_watching = threading.Event()
        self.notice = notice

    @property
    def readers(self) -> tuple[Reader, Reader]:
        return self.start.readers

    def place_spellings(self) -> Callable[[str], list[str]] | None:
        """Every spelling of a known place, for search (the place matcher is built once per
        profile, on the first search, in its worker thread: a few tenths of a second)."""
        if self.profile is None:
            return None
        from core.extract.spellings import place_spellings

        return place_spellings(self.profile)

    def now(self) -> datetime:
        return self.clock()

    def get_default_screen(self) -> Screen[None]:
        """The main screen is the first screen; it takes the start-up read once its panes
        are composed, so the first frame is the full one (no blank screen drawn first)."""
        return MainScreen(self.start.take_first_read())

    def on_load(self) -> None:
        """The cyclic collector rests until the first frame is out (`after_first_frame`).

        From here to the first frame Textual builds the screen and the start-up read builds
        its rows: tens of thousands of objects, nearly all of them kept, which the collector
        scanned ~50 times (~5-9 ms) finding next to nothing (reference counting frees the
        rest)."""
        if gc.isenabled():
            gc.disable()
            self._collect_after_first_frame = True

    def after_first_frame(self) -> None:
        """The collector runs again; the CSS parsed for this frame is kept (tui.csscache)."""
        if self._collect_after_first_frame:
            self._collect_after_first_frame = False
            gc.enable()
        self.save_css()

    def on_mount(self) -> None:
        self.remember_this_look()
        self.set_interval(self.poll_interval, self.poll)
        if self.notice:
            self.notify(self.notice, title="sitrep", markup=False)
        if self.watch_feeds is not None:
            self.run_watch()

    def on_unmount(self) -> None:
        self.stop_watching.set()
        self.start.close()
        self.after_first_frame()  # if no frame came: the collector runs again all the same

    def save_css(self) -> None:
        """Keep the CSS parsed in this run for the next start (tui.csscache)."""
        if isinstance(self.stylesheet, CachedStylesheet):
            self.stylesheet.save()

    @work(thread=True, group="poll", exit_on_error=False)
    def remember_this_look(self) -> None:
        """Store now as "last looked" (through the poll connection, so it is not a change)."""
        self.poll_reader.run(mark_seen, self.now())

    @work(thread=True, exclusive=True, group="poll", exit_on_error=False)
    def poll(self) -> None:
        """Cheap check for commits by other connections; the main screen reloads on change."""
        version = self.poll_reader.run(data_version)
        if version != self._version:
            self._version = version
            for screen in self.screen_stack:
                if isinstance(screen, MainScreen):
                    screen.post_message(DatabaseChanged())

    @work(thread=True, group="watch", exit_on_error=False)
    def run_watch(self) -> None:
        """The feed watcher, in-process (`--watch`)."""
        if self.watch_feeds is not None:
            self.watch_feeds(self.stop_watching)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A failed query becomes one notification (the UI keeps running)."""
        if event.state == WorkerState.ERROR:
            error = event.worker.error
            self.notify(
                f"{event.worker.name}: {error}", title="Error", severity="error", markup=False
            )

    # ---- navigation ----

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_search(self) -> None:
        from tui.screens.search import SearchScreen

        if not isinstance(self.screen, SearchScreen):
            self.push_screen(SearchScreen())

    def on_open_article(self, message: OpenArticle) -> None:
        from tui.screens.article import ArticleScreen

        self.push_screen(ArticleScreen(message.url))

    def on_open_place(self, message: OpenPlace) -> None:
        from tui.screens.place import PlaceScreen

        self.push_screen(PlaceScreen(message.name))

    def on_open_actor(self, message: OpenActor) -> None:
        from tui.screens.actor import ActorScreen

        self.push_screen(ActorScreen(message.name))

    def on_open_figure(self, message: OpenFigure) -> None:
        from tui.screens.figure import FigureScreen

        self.push_screen(FigureScreen(message.figure))


# What is loaded by now (Textual, pydantic, the core) lives as long as the process. Freezing it
# keeps every full collection from scanning those few hundred thousand objects again: one took
# ~10 ms of the dashboard's start-up, and the dashboard stays open all day.
gc.freeze()
if _COLLECTING:
    gc.enable()
