"""Every key, generated from the bindings of the app, its screens and its lists."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static

from tui.screens.base import DetailScreen
from tui.widgets.render import plain
from tui.widgets.section import Section

NAVIGATION = [
    ("↑ ↓ / j k", "Move in a list", "lists"),
    ("Enter", "Open the selected row", "lists"),
    ("ctrl+p", "Command palette: jump to a place or actor by name", "everywhere"),
]


def _bindings(owner: type) -> list[Binding]:
    found: list[BindingType] = list(getattr(owner, "BINDINGS", []))
    return [b for b in found if isinstance(b, Binding) and b.description]


class HelpScreen(DetailScreen):
    """Keys by where they work."""

    def compose_body(self) -> ComposeResult:
        yield Section("Keys", ("Key", "What it does", "Where"), id="keys")

    def on_mount(self) -> None:
        self.query_one("#header", Static).update(plain("sitrep: keys", "bold"))
        section = self.query_one("#keys", Section)
        section.show_rows([(cells, None) for cells in self._rows()])
        section.grid.focus()

    def _rows(self) -> list[list[Text]]:
        from tui.app import SitrepApp
        from tui.screens.article import ArticleScreen
        from tui.screens.figure import FigureScreen
        from tui.screens.main import MainScreen

        owners: list[tuple[str, type]] = [
            ("everywhere", SitrepApp),
            ("main screen", MainScreen),
            ("article", ArticleScreen),
            ("figure", FigureScreen),
            ("drill-downs", DetailScreen),
        ]
        rows = [[plain(k, "bold"), plain(what), plain(where)] for k, what, where in NAVIGATION]
        seen: set[tuple[str, str]] = set()
        for where, owner in owners:
            for binding in _bindings(owner):
                key = binding.key_display or self.app.get_key_display(binding)
                if (key, where) in seen:
                    continue
                seen.add((key, where))
                rows.append([plain(key, "bold"), plain(_describe(binding)), plain(where)])
        return rows


def _describe(binding: Binding) -> str:
    return f"{binding.description} ({binding.tooltip})" if binding.tooltip else binding.description
