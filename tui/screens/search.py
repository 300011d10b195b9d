"""Full-text search (`/`): the same safe FTS5 query builder as `sitrep search`."""

from __future__ import annotations

from functools import partial
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Input
from textual.worker import get_current_worker

from core.models import SearchHit
from core.query.articles import search
from tui.messages import OpenArticle
from tui.screens.base import DetailScreen
from tui.widgets.render import plain, when
from tui.widgets.section import Section

RESULT_LIMIT = 100


class SearchScreen(DetailScreen):
    """Type to search; Enter or Down moves to the results; Enter on a result opens it."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("down", "results", "Results", show=False)]

    def compose_body(self) -> ComposeResult:
        yield Input(placeholder='Search articles (words, "a phrase", prefix*)', id="query")
        yield Section(
            "Results", ("When", "Source", "Title", "Match"), flex=("Match", "Title"), id="results"
        )

    def on_mount(self) -> None:
        self.query_one("#header").update(plain("Search", "bold"))  # type: ignore[attr-defined]
        self.query_one("#results", Section).show_rows([])
        self.query_one("#query", Input).focus()

    @on(Input.Changed, "#query")
    def _changed(self, event: Input.Changed) -> None:
        self.run_search(event.value)

    @on(Input.Submitted, "#query")
    def _submitted(self, _: Input.Submitted) -> None:
        self.action_results()

    def action_results(self) -> None:
        grid = self.query_one("#results", Section).grid
        if grid.row_count:
            grid.focus()

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def run_search(self, query: str) -> None:
        spellings = self.sitrep.place_spellings()
        hits = self.sitrep.reader.run(search, query, limit=RESULT_LIMIT, spellings=spellings)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self.show_hits, hits)

    def show_hits(self, hits: list[SearchHit]) -> None:
        now, narrow = self.sitrep.now(), self.narrow
        self.query_one("#results", Section).show_rows(
            [
                (
                    [
                        when(h.published, now, compact=narrow),
                        plain(h.source, limit=14 if narrow else 24),
                        plain(h.title),
                        plain(h.snippet),
                    ],
                    partial(OpenArticle, h.url),
                )
                for h in hits
            ]
        )
