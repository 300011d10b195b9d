"""Messages the dashboard's widgets and workers post (typed, so tests can assert on them)."""

from __future__ import annotations

from textual.message import Message

from core.models import Figure
from tui.startup import PanesData


class OpenArticle(Message):
    """Show one article."""

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url


class OpenPlace(Message):
    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name


class OpenActor(Message):
    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name


class OpenFigure(Message):
    """Show where a figure came from."""

    def __init__(self, figure: Figure) -> None:
        super().__init__()
        self.figure = figure


class PanesLoaded(Message):
    """A worker finished reading the main screen's data."""

    def __init__(self, data: PanesData, *, live: bool) -> None:
        super().__init__()
        self.data = data
        self.live = live


class DatabaseChanged(Message):
    """Another connection committed (PRAGMA data_version moved)."""
