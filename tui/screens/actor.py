"""One actor: side, aliases, summary, places, actions, quotes, articles."""

from __future__ import annotations

from functools import partial

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from core.query.actors import holder_verb
from core.query.dashboard import ActorDetailView, Reader, actor_screen
from tui.messages import OpenActor, OpenArticle, OpenPlace
from tui.screens.base import DetailScreen
from tui.widgets.render import day, plain, safe, side_badge
from tui.widgets.section import Section


class ActorScreen(DetailScreen):
    """Drill-down for one actor."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.actor = name

    def compose_body(self) -> ComposeResult:
        yield Section("Places", ("Place", "Articles"), id="actor-places")
        yield Section("Mentioned with", ("Actor", "Articles"), id="actor-with")
        yield Section(
            "Actions", ("Date", "Place", "Verb", "Sentence"), flex=("Sentence",), id="actor-events"
        )
        yield Section("Quotes", ("Date", "Speaker", "Quote"), flex=("Quote",), id="actor-quotes")
        yield Section("Articles", ("When", "Source", "Title"), flex=("Title",), id="actor-articles")

    def read(self, reader: Reader) -> ActorDetailView:
        return reader.run(actor_screen, self.sitrep.profile, self.actor)

    def show(self, result: ActorDetailView) -> None:
        self.query_one("#header", Static).update(self._header(result))
        now = self.sitrep.now()
        self.query_one("#actor-places", Section).show_rows(
            [
                ([plain(place, "bold"), plain(str(n))], partial(OpenPlace, place))
                for place, n in result.places
            ]
        )
        self.query_one("#actor-with", Section).show_rows(
            [
                ([plain(other, "bold"), plain(str(n))], partial(OpenActor, other))
                for other, n in result.counterparts
            ]
        )
        self.query_one("#actor-events", Section).show_rows(
            [
                (
                    [
                        plain(day(e.date, e.date_precision)),
                        plain(e.place),
                        plain(holder_verb(e.verb)),
                        plain(e.sentence),
                    ],
                    partial(OpenArticle, e.url),
                )
                for e in result.events
            ]
        )
        self.query_one("#actor-quotes", Section).show_rows(
            [
                ([plain(day(q.date)), plain(q.speaker), plain(q.text)], partial(OpenArticle, q.url))
                for q in result.quotes
            ]
        )
        self.show_articles("#actor-articles", result.articles, now)
        self.focus_first_list()

    def _header(self, detail: ActorDetailView) -> Text:
        header = Text(end="")
        header.append(plain(detail.name, "bold"))
        header.append("  ")
        header.append(side_badge(detail.side))
        if detail.aliases:
            header.append("\nalso: " + safe(", ".join(detail.aliases[:12])), style="dim")
        if detail.summary:
            header.append("\n" + safe(detail.summary))
        return header
