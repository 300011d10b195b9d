"""The four main-screen panes: headlines, tracked places, actors, humanitarian figures.

Each pane is a titled container around one `Grid`; it turns query rows into `Text` cells and
turns Enter on a row into an `Open...` message.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from core.models import Figure
from core.query.dashboard import ActorRow, FigureRow, HeadlineRow, PlaceRow
from tui.messages import OpenActor, OpenArticle, OpenFigure, OpenPlace
from tui.widgets.grid import Grid, Row
from tui.widgets.render import (
    DISAGREE_MARK,
    NEW_MARK,
    category_label,
    day,
    figure_amount,
    figure_phrase,
    plain,
    safe,
    side_badge,
    sparkline,
    trend_arrow,
    when_published,
)


class Pane(Vertical):
    """A numbered, titled pane holding one table."""

    DEFAULT_CSS = """
    Pane {
        border: round $foreground 30%;
        height: 1fr;
        width: 1fr;
    }
    Pane:focus-within {
        border: round $accent;
    }
    Pane > #empty {
        display: none;
        color: $text-muted;
        padding: 0 1;
    }
    Pane.-empty > #empty {
        display: block;
    }
    """

    number = 0
    title = ""
    columns: Sequence[str] = ()
    flex: Sequence[str] = ()  # the columns cut (with an ellipsis) so that a row fits the pane
    empty_text = "Nothing yet."

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.border_title = f"{self.number} {self.title}"
        self._has_empty_note = False

    def compose(self) -> ComposeResult:
        yield Grid(self.columns, flex=self.flex, id=f"{self.id}-grid" if self.id else None)

    @property
    def grid(self) -> Grid:
        return self.query_one(Grid)

    def show_rows(self, rows: list[Row]) -> None:
        self.grid.replace_rows(rows)
        if not rows and not self._has_empty_note:
            # Mounted the first time the pane is empty: a pane with rows at start-up does not
            # compose, style and lay out a hidden widget before the first frame.
            self.mount(Static(self.empty_text, id="empty"))
            self._has_empty_note = True
        self.set_class(not rows, "-empty")

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.open(str(event.row_key.value))

    def open(self, key: str) -> None:
        """Post the message that opens the row with `key`."""


class HeadlinesPane(Pane):
    number = 1
    title = "Headlines"
    columns = ("", "When", "Source", "Title", "Places")
    flex = ("Title", "Places")
    empty_text = "No articles in this time window (t changes it)."

    def update_rows(self, rows: list[HeadlineRow], now: datetime, *, compact: bool) -> None:
        self.show_rows([(r.headline.url, _headline_cells(r, now, compact)) for r in rows])

    def open(self, key: str) -> None:
        self.post_message(OpenArticle(key))


def _headline_cells(row: HeadlineRow, now: datetime, compact: bool) -> list[Text]:
    item = row.headline
    title = _cut(plain(item.title or "(untitled)"))
    if item.also_sources:
        title.append(f" +{len(item.also_sources)} sources", style="dim")
    return [
        Text(NEW_MARK if row.new else " ", style="bold", end=""),
        when_published(item.published, item.fetched, now, compact=compact),
        plain(item.source, limit=14 if compact else 24),
        title,
        _cut(plain(", ".join(row.tracked_places), limit=40)),
    ]


def _cut(text: Text) -> Text:
    """A cell that ends in an ellipsis when its column is narrower than it."""
    text.overflow = "ellipsis"
    return text


class PlacesPane(Pane):
    number = 2
    title = "Tracked places"
    columns = ("Place", "Held by", "Since", "24h", "7d", "14 days", "Latest figure")
    # At 80 columns the sparkline gives way to the latest figure (the 24 h and 7 day counts
    # stay, and a place's screen has its whole history).
    compact_columns = ("Place", "Held by", "Since", "24h", "7d", "Latest figure")
    flex = ("Latest figure",)
    empty_text = "No tracked places in the profile."

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.compact = False  # set before the pane composes, from the screen's width

    def compose(self) -> ComposeResult:
        columns = self.compact_columns if self.compact else self.columns
        yield Grid(columns, flex=self.flex, id=f"{self.id}-grid" if self.id else None)

    def update_rows(self, rows: list[PlaceRow], *, compact: bool = False) -> None:
        if compact != self.compact:
            self.compact = compact
            self.grid.set_columns(self.compact_columns if compact else self.columns)
        self.show_rows([(r.name, _place_cells(r, compact)) for r in rows])

    def open(self, key: str) -> None:
        self.post_message(OpenPlace(key))


def _place_cells(row: PlaceRow, compact: bool) -> list[Text]:
    figure = row.latest_figure
    cells = [
        plain(row.name, "bold"),
        side_badge(row.side),
        plain(day(row.since, row.since_precision) if row.since else ""),
        Text(str(row.mentions_24h), justify="right", end=""),
        Text(str(row.mentions_7d), justify="right", end=""),
    ]
    if not compact:
        cells.append(sparkline(row.daily))
    cells.append(_cut(_short_figure(figure)) if figure else plain(""))
    return cells


def _short_figure(figure: Figure) -> Text:
    return plain(figure_phrase(figure))


class ActorsPane(Pane):
    number = 3
    title = "Actors"
    columns = ("Actor", "Side", "Mentions", "Trend", "Most with")
    empty_text = "No actors mentioned in this time window."

    def update_rows(self, rows: list[ActorRow]) -> None:
        self.show_rows([(r.name, _actor_cells(r)) for r in rows])

    def open(self, key: str) -> None:
        self.post_message(OpenActor(key))


def _actor_cells(row: ActorRow) -> list[Text]:
    return [
        plain(row.name, "bold", limit=22),
        side_badge(row.side),
        Text(str(row.mentions), justify="right", end=""),
        trend_arrow(row.trend),
        plain(row.top_place or ""),
    ]


class FiguresPane(Pane):
    number = 4
    title = "Humanitarian figures"
    # "Others": the disagreeing reports (≠ value (source)); at 80 columns Source and Others
    # are cut with an ellipsis rather than scrolled out of sight
    columns = ("Category", "Latest", "Others", "Date", "Place", "Source")
    flex = ("Source", "Others")
    empty_text = "No figures in this time window."

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self._figures: dict[str, Figure] = {}

    def update_rows(self, rows: list[FigureRow]) -> None:
        self._figures = {r.category: r.latest for r in rows}
        self.show_rows([(r.category, _figure_cells(r)) for r in rows])

    @property
    def categories(self) -> list[str]:
        """The categories shown, in pane order."""
        return list(self._figures)

    def open(self, key: str) -> None:
        if key in self._figures:
            self.post_message(OpenFigure(self._figures[key]))


def _figure_cells(row: FigureRow) -> list[Text]:
    figure = row.latest
    others = Text(end="")
    if row.disagreeing:
        others.append(f"{DISAGREE_MARK} ", style="bold")
        others.append(", ".join(f"{figure_amount(f)} ({safe(f.source)})" for f in row.disagreeing))
    return [
        plain(category_label(row.category), "bold"),
        plain(figure_amount(figure)),
        _cut(others),
        plain(day(figure.date)),
        plain(figure.place or "", limit=20),
        _cut(plain(figure.source, limit=24)),
    ]
