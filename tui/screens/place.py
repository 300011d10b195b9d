"""One place: who held it from when to when, figures there, actors active there, articles."""

from __future__ import annotations

from functools import partial

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from core.models import ControlEvent
from core.query.dashboard import PlaceDetail, Reader, place_detail
from tui.messages import OpenActor, OpenArticle, OpenFigure
from tui.screens.base import DetailScreen
from tui.widgets.render import day, figure_value, plain, side_badge, when
from tui.widgets.section import Section


class PlaceScreen(DetailScreen):
    """Drill-down for one place."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.place = name

    def compose_body(self) -> ComposeResult:
        yield Section(
            "Control timeline",
            ("From", "Until", "Held by", "How", "Source", "Sentence"),
            id="timeline",
        )
        yield Section("Figures here", ("Date", "Figure", "Source"), id="place-figures")
        yield Section("Actors active here", ("Actor", "Side", "Articles"), id="place-actors")
        yield Section("Articles", ("When", "Source", "Title"), id="place-articles")

    def read(self, reader: Reader) -> PlaceDetail:
        return reader.run(place_detail, self.place)

    def show(self, result: PlaceDetail) -> None:
        self.query_one("#header", Static).update(_header(result))
        now = self.sitrep.now()
        self.query_one("#timeline", Section).show_rows(_timeline(result.history))
        self.query_one("#place-figures", Section).show_rows(
            [
                (
                    [plain(day(f.date)), plain(f"{figure_value(f)} {f.category}"), plain(f.source)],
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
        self.query_one("#place-articles", Section).show_rows(
            [
                (
                    [when(h.published or h.fetched, now), plain(h.source), plain(h.title)],
                    partial(OpenArticle, h.url),
                )
                for h in result.articles
            ]
        )
        self.focus_first_list()


def _header(detail: PlaceDetail) -> Text:
    line = Text(end="")
    line.append(plain(detail.name, "bold"))
    if detail.history:
        last = detail.history[-1]
        line.append("  held by ")
        line.append(side_badge(last.side, last.actor))
        line.append(f" since {day(_run_start(detail.history))}")
    else:
        line.append("  no reported change of control", style="dim")
    return line


def _run_start(history: list[ControlEvent]) -> object:
    """The date the current holder's unbroken run began."""
    start = history[-1].date
    for event in reversed(history):
        if event.side != history[-1].side:
            break
        start = event.date
    return start


def _timeline(history: list[ControlEvent]) -> list[tuple[list[Text], partial[OpenArticle]]]:
    rows = []
    for index, event in enumerate(history):
        later = [e for e in history[index + 1 :] if e.side != event.side]
        until = day(later[0].date) if later else "now"
        cells = [
            plain(day(event.date)),
            plain(until),
            side_badge(event.side, event.actor),
            plain(event.verb),
            plain(event.source),
            plain(event.sentence),
        ]
        rows.append((cells, partial(OpenArticle, event.url)))
    return rows
