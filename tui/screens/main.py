"""The main screen: status line and four panes, reloaded in a worker when the data changes."""

from __future__ import annotations

from concurrent.futures import Future
from typing import TYPE_CHECKING, ClassVar, cast

from textual import events, messages, work
from textual._time import get_time
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container
from textual.screen import Screen
from textual.widget import Widget
from textual.worker import Worker, get_current_worker

from core.query.dashboard import (
    WINDOW_LABELS,
    PlaceRow,
    next_window,
)
from tui.messages import DatabaseChanged, PanesLoaded
from tui.startup import PanesData, read_panes
from tui.widgets.footer import KeyFooter
from tui.widgets.panes import ActorsPane, FiguresPane, HeadlinesPane, Pane, PlacesPane
from tui.widgets.render import NARROW_BELOW, figure_phrase
from tui.widgets.status import PaneBar, StatusLine

if TYPE_CHECKING:
    from tui.app import SitrepApp


WIDE_FROM = NARROW_BELOW  # columns from which all four panes show at once (else: tabs)
# Columns from which actors and figures sit side by side (below it, from WIDE_FROM, all four
# panes are stacked full width: side by side, each would be too narrow for its columns).
SIDE_BY_SIDE_FROM = 190
MAX_NOTICES_EACH = 3  # more changes of one kind at once are summed up in one notice
FIRST_READ_WAIT = 1.0  # seconds the first frame waits for the start-up read (keys wait too)


def layout_class(width: int) -> str:
    """The breakpoint class for a screen `width` columns wide (as HORIZONTAL_BREAKPOINTS)."""
    return (
        "-wide" if width >= SIDE_BY_SIDE_FROM else "-stacked" if width >= WIDE_FROM else "-narrow"
    )


class MainScreen(Screen[None]):
    """Headlines, tracked places, actors and figures at a glance."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "next_pane", "Next pane", show=False),
        Binding("shift+tab", "previous_pane", "Previous pane", show=False),
        Binding("1", "pane(0)", "Headlines", show=False),
        Binding("2", "pane(1)", "Places", show=False),
        Binding("3", "pane(2)", "Actors", show=False),
        Binding("4", "pane(3)", "Figures", show=False),
        Binding("t", "cycle_window", "Window", tooltip="24 h, 7 days, 30 days, all"),
        Binding("r", "refresh", "Refresh"),
        Binding("q", "app.quit", "Quit"),
    ]
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [
        (0, "-narrow"),
        (WIDE_FROM, "-stacked"),
        (SIDE_BY_SIDE_FROM, "-wide"),
    ]
    AUTO_FOCUS = "#headlines-grid"

    def __init__(self, first_read: Future[PanesData] | None = None) -> None:
        """`first_read`: the data being read since start-up (None: read it here)."""
        super().__init__()
        self.active = 0
        self.data: PanesData | None = None
        self._first_read = first_read
        self._compact = False
        self._resumed = False
        self._first_frame_at: float | None = None
        self._status = StatusLine(id="status")
        self._bar = PaneBar(id="panebar")
        self._headlines = HeadlinesPane(id="headlines", classes="-active")
        self._places = PlacesPane(id="places")
        self._actors = ActorsPane(id="actors")
        self._figures = FiguresPane(id="figures")
        self._panes: tuple[Pane, ...] = (self._headlines, self._places, self._actors, self._figures)

    @property
    def sitrep(self) -> SitrepApp:
        return cast("SitrepApp", self.app)

    def compose(self) -> ComposeResult:
        # The breakpoint class from the start: Textual sets it only after the first layout,
        # which would lay out and draw every pane twice.
        self.add_class(layout_class(self.app.size.width))
        self._places.compact = self.app.size.width < WIDE_FROM
        yield self._status
        yield self._bar
        with Container(id="panes"):
            yield from self._panes
        yield KeyFooter()

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        """Screen's own handler, without what is redundant the first time.

        On every resume Screen restyles every widget and, after laying out and drawing the
        whole screen, asks for another full redraw on the next tick; and the repaints the
        widgets asked for while they mounted reach the screen after it drew them. The first
        time, every widget was styled as it mounted a moment ago and this frame draws each
        as it is now: the rest would change nothing, yet send the terminal two more frames
        of the same screen. Later resumes (back from a drill-down) keep Screen's behaviour.
        """
        event.prevent_default()  # Screen's handler runs here, not after this one
        first = not self._resumed
        self._resumed = True
        if first:
            event.refresh_styles = False
        drawn = self.is_attached and self._size != self.app.size  # Screen lays out and draws
        started = get_time()
        super()._on_screen_resume(event)
        if first and drawn:
            self._first_frame_at = started
            self._repaint_required = False
            for widget in self.walk_children(Widget):
                widget._repaint_required = False

    def _on_update(self, message: messages.Update) -> None:
        """Drops a repaint asked for before the first full frame began (see above)."""
        if self._first_frame_at is not None and message.time < self._first_frame_at:
            message.stop()
            message.prevent_default()

    @property
    def panes(self) -> list[Pane]:
        """The four panes in order (kept from compose: no DOM walk per key or update)."""
        return list(self._panes)

    def on_mount(self) -> None:
        # Once the first frame is out: the collector runs again, the parsed CSS is kept.
        self.call_after_refresh(self.sitrep.after_first_frame)
        self._show_bar()
        first_read, self._first_read = self._first_read, None
        if first_read is None:
            self.load()
            return
        try:
            # Usually ready by now (it ran while the panes were composed): filling them
            # before the first layout makes the first frame the full one.
            initial = first_read.result(timeout=FIRST_READ_WAIT)
        except TimeoutError:  # a slow disk: show the screen, fill it when the read lands
            self._finish_first_read(first_read)
        except Exception:  # read again here; a second failure becomes a notification
            self.load()
        else:
            self._show(initial, live=False)
            self.app.post_message(PanesLoaded(initial, live=False))

    # ---- panes and keys ----

    def action_pane(self, index: int) -> None:
        """Show (when narrow) and focus pane `index`."""
        self._activate(index)
        grid = self.panes[index].grid
        self.call_after_refresh(grid.focus)

    def action_next_pane(self) -> None:
        self.action_pane((self.active + 1) % 4)

    def action_previous_pane(self) -> None:
        self.action_pane((self.active - 1) % 4)

    def _activate(self, index: int) -> None:
        self.active = index
        for number, pane in enumerate(self.panes):
            pane.set_class(number == index, "-active")
        self._show_bar()

    def _show_bar(self) -> None:
        self._bar.show([p.title for p in self.panes], self.active)

    def on_descendant_focus(self, event: object) -> None:
        focused = self.focused
        for index, pane in enumerate(self.panes):
            if focused is not None and focused in pane.walk_children(Widget):
                if index != self.active:
                    self._activate(index)
                return

    def action_cycle_window(self) -> None:
        self.sitrep.window = next_window(self.sitrep.window)
        self._show_status()
        self.load()

    def action_refresh(self) -> None:
        self.load()

    def on_database_changed(self, _: DatabaseChanged) -> None:
        self.load(live=True)

    # ---- loading ----

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        from tui.app import report_worker_error

        report_worker_error(self.app, event)

    @work(thread=True, exclusive=True, group="panes", exit_on_error=False)
    def _finish_first_read(self, first_read: Future[PanesData]) -> None:
        """Hand over the start-up read once it lands (or read afresh if it failed)."""
        try:
            data = first_read.result()
        except Exception:
            data = self._read()
        if not get_current_worker().is_cancelled:
            self.post_message(PanesLoaded(data, live=False))

    @work(thread=True, exclusive=True, group="panes", exit_on_error=False)
    def load(self, live: bool = False) -> None:
        """Read every pane's rows off the UI thread, then hand them back as one message."""
        data = self._read()
        if not get_current_worker().is_cancelled:
            self.post_message(PanesLoaded(data, live=live))

    def _read(self) -> PanesData:
        app = self.sitrep
        return read_panes(
            app.readers,
            tracked=app.tracked,
            broad=app.broad_places,
            now=app.now(),
            window=app.window,
            seen_before=app.seen_before,
        )

    def on_panes_loaded(self, message: PanesLoaded) -> None:
        self._show(message.data, live=message.live)

    def _show(self, data: PanesData, *, live: bool) -> None:
        previous, self.data = self.data, data
        self._show_headlines()
        self._places.update_rows(data.places, compact=self.app.size.width < WIDE_FROM)
        self._actors.update_rows(data.actors)
        self._figures.update_rows(data.figures)
        self._show_status()
        if live and previous is not None:
            self._announce_changes(previous.places, data.places)

    def _show_headlines(self) -> None:
        """Headlines with short columns when the panes are tabs (narrow terminal)."""
        if self.data is not None:
            compact = self.app.size.width < WIDE_FROM
            pane = self._headlines
            pane.update_rows(self.data.headlines, self.sitrep.now(), compact=compact)
            self._compact = compact

    def on_resize(self) -> None:
        if self.data is not None and (self.app.size.width < WIDE_FROM) != self._compact:
            self._show_headlines()
            self._places.update_rows(self.data.places, compact=self._compact)

    def _show_status(self) -> None:
        if self.data is not None:
            app = self.sitrep
            label = WINDOW_LABELS[app.window]
            self._status.show(app.db_path, self.data.status, label, app.now())

    def _announce_changes(self, before: list[PlaceRow], after: list[PlaceRow]) -> None:
        """Notify when a tracked place changes hands or gets a new latest figure; a batch that
        touches many places (a bulk ingest) gives one notice per kind, not a wall of them."""
        old = {row.name: row for row in before}
        changes: list[tuple[str, str]] = []
        figures: list[tuple[str, str]] = []
        for row in after:
            was = old.get(row.name)
            if was is None:
                continue
            if row.side != was.side and row.side:
                holder = f"{row.side} ({row.controller})" if row.controller else row.side
                changes.append((row.name, f"{row.name} changed hands: now held by {holder}"))
            figure = row.latest_figure
            if figure is not None and figure != was.latest_figure:
                text = figure_phrase(figure)
                figures.append((row.name, f"New figure for {row.name}: {text}"))
        self._notify_all("Control", changes, "tracked places changed hands")
        self._notify_all("Figure", figures, "tracked places have new figures")

    def _notify_all(self, title: str, notices: list[tuple[str, str]], many: str) -> None:
        if len(notices) <= MAX_NOTICES_EACH:
            for _, message in notices:
                self.notify(message, title=title, markup=False)
            return
        names = ", ".join(place for place, _ in notices)
        self.notify(f"{len(notices)} {many}: {names}", title=title, markup=False)
