"""One article: its text with places, actors and figures highlighted; source, date, URL."""

from __future__ import annotations

import re
from functools import partial
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from core.query.dashboard import ArticleView, Reader, article_view
from tui.messages import OpenFigure
from tui.screens.base import DetailScreen
from tui.widgets.render import (
    absolute_time,
    day,
    figure_phrase,
    multiline,
    plain,
    safe,
)
from tui.widgets.section import Section

PLACE_STYLE = "bold underline"
ACTOR_STYLE = "bold italic"
FIGURE_STYLE = "reverse"


class ArticleBody(VerticalScroll):
    """The scrolling article text (focusable so arrows and j/k scroll it)."""

    DEFAULT_CSS = """
    ArticleBody {
        height: auto;
        max-height: 24;
        border: round $foreground 30%;
        padding: 0 1;
    }
    ArticleBody:focus {
        border: round $accent;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "scroll_down", "Down", show=False),
        Binding("k", "scroll_up", "Up", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield Static(id="article-text")


class ArticleScreen(DetailScreen):
    """Drill-down for one article."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "copy_url", "Copy URL", tooltip="with OSC 52: works over SSH")
    ]

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url

    def compose_body(self) -> ComposeResult:
        yield ArticleBody(id="article-body")
        yield Section(
            "Figures in this article", ("Figure", "Date", "Sentence"), id="article-figures"
        )

    def read(self, reader: Reader) -> ArticleView | None:
        return reader.run(article_view, self.url)

    def show(self, result: ArticleView | None) -> None:
        header = self.query_one("#header", Static)
        if result is None:
            header.update(plain(f"Article not found: {self.url}"))
            return
        header.update(_header(result))
        names = self._names(result)
        text = highlight(result.article.body, names, [f.sentence for f in result.figures])
        self.query_one("#article-text", Static).update(text)
        body = self.query_one("#article-body", ArticleBody)
        body.border_title = "Text"
        self.query_one("#article-figures", Section).show_rows(
            [
                (
                    [
                        plain(figure_phrase(f), "bold"),
                        plain(day(f.date)),
                        plain(f.sentence),
                    ],
                    partial(OpenFigure, f),
                )
                for f in result.figures
            ]
        )
        body.focus()

    def _names(self, result: ArticleView) -> dict[str, str]:
        """Every spelling to highlight: canonical names plus the profile's aliases."""
        names = {p: PLACE_STYLE for p in result.places}
        names.update({a: ACTOR_STYLE for a, _ in result.actors})
        profile = self.sitrep.profile
        if profile is not None:
            for place in profile.places:
                if place.name in result.places:
                    names.update({alias: PLACE_STYLE for alias in place.aliases})
            wanted = {a for a, _ in result.actors}
            for actor in profile.actors:
                if actor.name in wanted:
                    names.update({alias: ACTOR_STYLE for alias in actor.aliases})
        return names

    def action_copy_url(self) -> None:
        self.app.copy_to_clipboard(self.url)
        self.notify(f"Copied {safe(self.url)}", title="URL", markup=False)


def _header(view: ArticleView) -> Text:
    article = view.article
    header = Text(end="")
    header.append(plain(article.title or "(untitled)", "bold"))
    header.append("\n")
    header.append(plain(article.source))
    header.append(f" · {absolute_time(article.published)} · ")
    header.append(plain(article.url, "underline"))
    if view.also_sources:
        header.append("\nalso reported by: " + safe(", ".join(view.also_sources)), style="dim")
    header.append("\n[c] copies the URL", style="dim")
    return header


def highlight(body: str, names: dict[str, str], sentences: list[str]) -> Text:
    """The body as literal text with names and figure sentences styled (case-insensitive)."""
    text = multiline(body)
    plain_body = text.plain
    for sentence in sentences:
        start = plain_body.find(sentence) if sentence else -1
        if start >= 0:
            text.stylize(FIGURE_STYLE, start, start + len(sentence))
    for name, style in sorted(names.items(), key=lambda item: -len(item[0])):
        if not name.strip():
            continue
        pattern = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)", re.IGNORECASE)
        for match in pattern.finditer(plain_body):
            text.stylize(style, match.start(), match.end())
    return text
