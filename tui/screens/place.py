"""One place: who held it from when to when, figures there, actors active there, articles."""

from __future__ import annotations

from functools import partial

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from core.models import ControlEvent
from core.query.actors import holder_verb
from core.query.dashboard import PlaceDetail, Reader, place_detail
from core.query.events import most_named
from tui.messages import OpenActor, OpenArticle, OpenFigure
from tui.screens.base import DetailScreen
from tui.widgets.render import day, figure_phrase, plain, side_badge
from tui.widgets.section import Section

TIMELINE = ("From", "Until", "Held by", "How", "Reports", "First source", "Sentence")
NARROW_TIMELINE = ("From", "Until", "Held by", "How", "First source")


class PlaceScreen(DetailScreen):
    """Drill-down for one place."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.place = name

    def compose_body(self) -> ComposeResult:
        if self.narrow:  # the sentence is one Enter away (it opens the article)
            columns, flex = NARROW_TIMELINE, ("First source",)
        else:
            columns, flex = TIMELINE, ("Sentence", "First source")
        yield Section("Control timeline", columns, flex=flex, id="timeline")
        yield Section("Figures here", ("Date", "Figure", "Source"), id="place-figures")
        yield Section("Actors active here", ("Actor", "Side", "Articles"), id="place-actors")
        yield Section("Articles", ("When", "Source", "Title"), flex=("Title",), id="place-articles")

    def read(self, reader: Reader) -> PlaceDetail:
        return reader.run(place_detail, self.place)

    def show(self, result: PlaceDetail) -> None:
        self.query_one("#header", Static).update(_header(result))
        now = self.sitrep.now()
        self.query_one("#timeline", Section).show_rows(
            _timeline(result.history, narrow=self.narrow)
        )
        self.query_one("#place-figures", Section).show_rows(
            [
                (
                    [
                        plain(day(f.date)),
                        plain(figure_phrase(f)),
                        plain(f.source, limit=24),
                    ],
                    partial(OpenFigure, f),
                )
                for f in result.figures
            ]
        )
        self.query_one("#place-actors", Section).show_rows(
            [
                (
                    [plain(name, "bold"), side_badge(side), plain(str(count))],
                    partial(OpenActor, name),
                )
                for name, side, count in result.actors
            ]
        )
        self.show_articles("#place-articles", result.articles, now)
        self.focus_first_list()


def _header(detail: PlaceDetail) -> Text:
    line = Text(end="")
    line.append(plain(detail.name, "bold"))
    if detail.control is not None:
        line.append("  held by ")
        line.append(side_badge(detail.control.side, detail.control.actor))
        line.append(f" since {day(detail.control.since, detail.control.since_precision)}")
    else:
        line.append("  no reported change of control", style="dim")
    return line


def control_periods(history: list[ControlEvent]) -> list[list[ControlEvent]]:
    """Consecutive reports of the same side form one period of control."""
    periods: list[list[ControlEvent]] = []
    for event in history:
        if periods and periods[-1][0].side == event.side:
            periods[-1].append(event)
        else:
            periods.append([event])
    return periods


def _timeline(
    history: list[ControlEvent], *, narrow: bool = False
) -> list[tuple[list[Text], partial[OpenArticle]]]:
    """One row per period: from, until, holder, how, reports, first source and sentence
    (`narrow`: without the number of reports and the sentence)."""
    periods = control_periods(history)
    rows = []
    for index, period in enumerate(periods):
        first = period[0]
        after = periods[index + 1][0] if index + 1 < len(periods) else None
        until = day(after.date, after.date_precision) if after is not None else "now"
        if narrow:  # the side alone (the header names the holder's actor), no count, no sentence
            cells = [
                plain(day(first.date, first.date_precision)),
                plain(until),
                side_badge(first.side),
                plain(holder_verb(first.verb)),
                plain(first.source, limit=24),
            ]
        else:
            cells = [
                plain(day(first.date, first.date_precision)),
                plain(until),
                side_badge(first.side, most_named(e.actor for e in period)),
                plain(holder_verb(first.verb)),
                plain(str(len(period))),
                plain(first.source, limit=24),
                plain(first.sentence),
            ]
        rows.append((cells, partial(OpenArticle, first.url)))
    return rows
