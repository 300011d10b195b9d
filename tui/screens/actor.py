"""One actor: side, aliases, summary, places, actions, quotes, articles."""

from __future__ import annotations

from functools import partial

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from core.profile import ActorSpec
from core.query.dashboard import ActorDetailView, Reader, actor_detail_view
from tui.messages import OpenArticle, OpenPlace
from tui.screens.base import DetailScreen
from tui.widgets.render import day, plain, safe, side_badge, when
from tui.widgets.section import Section


class ActorScreen(DetailScreen):
    """Drill-down for one actor."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.actor = name

    def compose_body(self) -> ComposeResult:
        yield Section("Places", ("Place", "Articles"), id="actor-places")
        yield Section("Actions", ("Date", "Place", "Verb", "Sentence"), id="actor-events")
        yield Section("Quotes", ("Date", "Speaker", "Quote"), id="actor-quotes")
        yield Section("Articles", ("When", "Source", "Title"), id="actor-articles")

    def read(self, reader: Reader) -> ActorDetailView:
        return reader.run(actor_detail_view, self.actor)

    def show(self, result: ActorDetailView) -> None:
        self.query_one("#header", Static).update(self._header(result))
        now = self.sitrep.now()
        self.query_one("#actor-places", Section).show_rows(
            [
                ([plain(place, "bold"), plain(str(n))], partial(OpenPlace, place))
                for place, n in result.places
            ]
        )
        self.query_one("#actor-events", Section).show_rows(
            [
                (
                    [plain(day(e.date)), plain(e.place), plain(e.verb), plain(e.sentence)],
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
        self.query_one("#actor-articles", Section).show_rows(
            [
                (
                    [when(h.published or h.fetched, now), plain(h.source), plain(h.title)],
                    partial(OpenArticle, h.url),
                )
                for h in result.articles
            ]
        )
        self.focus_first_list()

    def _header(self, detail: ActorDetailView) -> Text:
        spec = self._spec()
        header = Text(end="")
        header.append(plain(detail.name, "bold"))
        header.append("  ")
        header.append(side_badge(detail.side or (spec.side if spec else None)))
        if spec and spec.aliases:
            header.append("\nalso: " + safe(", ".join(spec.aliases[:12])), style="dim")
        if spec and spec.descriptions:
            header.append("\n" + safe(spec.descriptions[0]))
        return header

    def _spec(self) -> ActorSpec | None:
        profile = self.sitrep.profile
        if profile is None:
            return None
        return next((a for a in profile.actors if a.name == self.actor), None)
