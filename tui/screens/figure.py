"""Where a figure came from: its sentence, article and source, and other reports of it."""

from __future__ import annotations

from functools import partial
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static

from core.models import Figure
from core.query.dashboard import Provenance, Reader, provenance
from tui.messages import OpenArticle, OpenFigure
from tui.screens.base import DetailScreen
from tui.widgets.render import absolute_time, day, figure_amount, figure_line, plain
from tui.widgets.section import Section


class FigureScreen(DetailScreen):
    """Figure provenance."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("a", "open_article", "Open article")]

    def __init__(self, figure: Figure) -> None:
        super().__init__()
        self.figure = figure

    def compose_body(self) -> ComposeResult:
        yield Static(id="figure-source", classes="detail-block")
        yield Section(
            "Other reports of this figure",
            ("Date", "Figure", "Source", "Sentence"),
            id="figure-others",
        )

    def read(self, reader: Reader) -> Provenance:
        return reader.run(provenance, self.figure)

    def show(self, result: Provenance) -> None:
        self.query_one("#header", Static).update(figure_line(result.figure))
        self.query_one("#figure-source", Static).update(_source_block(result))
        self.query_one("#figure-others", Section).show_rows(
            [
                (
                    [
                        plain(day(f.date)),
                        plain(figure_amount(f), "bold"),
                        plain(f.source, limit=24),
                        plain(f.sentence),
                    ],
                    partial(OpenFigure, f),
                )
                for f in result.others
            ]
        )
        self.focus_first_list()

    def action_open_article(self) -> None:
        if self.figure.url:
            self.post_message(OpenArticle(self.figure.url))


def _source_block(result: Provenance) -> Text:
    block = Text(end="")
    block.append("Sentence\n", style="bold")
    block.append(plain(result.figure.sentence or "(no sentence stored)", "italic"))
    block.append("\n\nArticle\n", style="bold")
    article = result.article
    if article is None:
        block.append(plain(result.figure.url or "(unknown)"))
        return block
    block.append(plain(article.title or "(untitled)"))
    block.append("\n")
    block.append(plain(article.source))
    block.append(f" · {absolute_time(article.published)} · ")
    block.append(plain(article.url, "underline"))
    block.append("\n[a] opens the article", style="dim")
    return block
