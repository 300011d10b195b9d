"""A titled table on a detail screen; Enter on a row posts whatever message the row carries."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Static

from tui.widgets.grid import Grid


class Section(Vertical):
    """A bordered list on a detail screen (height follows its rows, up to a limit)."""

    DEFAULT_CSS = """
    Section {
        height: auto;
        border: round $foreground 30%;
        padding: 0 0;
    }
    Section:focus-within {
        border: round $accent;
    }
    Section > Grid {
        height: auto;
        max-height: 12;
    }
    Section > .empty {
        color: $text-muted;
        padding: 0 1;
    }
    """

    def __init__(
        self,
        title: str,
        columns: Sequence[str],
        *,
        flex: Sequence[str] = (),
        id: str | None = None,
    ) -> None:
        """`flex`: the long-text columns (a sentence, a title) cut with an ellipsis so that a
        row fits the screen instead of scrolling sideways; Enter opens the whole of it."""
        super().__init__(id=id)
        self.border_title = title
        self._columns = columns
        self._flex = tuple(flex)
        self._cut_at = [columns.index(name) for name in self._flex if name in columns]
        self._messages: dict[str, Callable[[], Message]] = {}

    def compose(self) -> ComposeResult:
        yield Grid(self._columns, flex=self._flex)

    @property
    def grid(self) -> Grid:
        return self.query_one(Grid)

    def show_rows(
        self, rows: Sequence[tuple[Sequence[Text], Callable[[], Message] | None]]
    ) -> None:
        """Rows of cells, each with a factory of the message Enter posts (or None)."""
        self._messages = {}
        keyed = []
        for index, (cells, message) in enumerate(rows):
            key = str(index)
            for column in self._cut_at:
                if column < len(cells):
                    cells[column].overflow = "ellipsis"
            keyed.append((key, cells))
            if message is not None:
                self._messages[key] = message
        self.grid.replace_rows(keyed)
        self.grid.display = bool(rows)
        self.query(".empty").remove()
        if not rows:
            self.mount(Static("None.", classes="empty"))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        message = self._messages.get(str(event.row_key.value))
        if message is not None:
            self.post_message(message())
