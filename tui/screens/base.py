"""What every drill-down screen shares: Escape goes back, data is read in a thread worker."""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar, cast

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static
from textual.worker import Worker, get_current_worker

from core.models import Headline
from core.query.dashboard import Reader
from tui.messages import OpenArticle
from tui.widgets.footer import KeyFooter
from tui.widgets.render import NARROW_BELOW, plain, when_published
from tui.widgets.section import Section

if TYPE_CHECKING:
    from tui.app import SitrepApp


class DetailScreen(Screen[None]):
    """A header, a scrolling body of sections, the footer; Escape pops back."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "back", "Back")]

    @property
    def sitrep(self) -> SitrepApp:
        return cast("SitrepApp", self.app)

    @property
    def narrow(self) -> bool:
        """A terminal too narrow for every column: short times and sources, fewer columns
        (decided as the screen opens)."""
        return self.app.size.width < NARROW_BELOW

    def compose(self) -> ComposeResult:
        yield Static(id="header", classes="detail-header")
        with VerticalScroll(id="body", can_focus=False):
            yield from self.compose_body()
        yield KeyFooter()

    def compose_body(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        self.fetch()

    def action_back(self) -> None:
        self.dismiss()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        from tui.app import report_worker_error

        report_worker_error(self.app, event)

    @work(thread=True, exclusive=True, group="detail", exit_on_error=False)
    def fetch(self) -> None:
        result = self.read(self.sitrep.reader)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self.show, result)

    def focus_first_list(self) -> None:
        """Focus the first section with rows, so arrows and Enter work at once."""
        from tui.widgets.section import Section

        for section in self.query(Section):
            if section.grid.row_count:
                section.grid.focus()
                return

    def show_articles(self, selector: str, articles: list[Headline], now: datetime) -> None:
        """A section of headlines (when, source, title); Enter opens the article."""
        narrow = self.narrow
        self.query_one(selector, Section).show_rows(
            [
                (
                    [
                        when_published(h.published, h.fetched, now, compact=narrow),
                        plain(h.source, limit=14 if narrow else 24),
                        plain(h.title),
                    ],
                    partial(OpenArticle, h.url),
                )
                for h in articles
            ]
        )

    def read(self, reader: Reader) -> Any:
        """Query the data this screen shows (runs in a worker thread)."""
        return None

    def show(self, result: Any) -> None:
        """Put `result` on screen (runs on the UI thread)."""
