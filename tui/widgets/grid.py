"""A keyboard-first table whose rows can be replaced without losing the cursor."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.scrollbar import ScrollBar
from textual.widgets import DataTable

Row = tuple[str, Sequence[Text]]


class Grid(DataTable[Text]):
    """A row-cursor DataTable with j/k, whose cells are always `Text` (never markup)."""

    DEFAULT_CSS = """
    Grid {
        height: 1fr;
        scrollbar-size-vertical: 1;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
    ]

    def __init__(self, columns: Sequence[str], **kwargs: object) -> None:
        super().__init__(cursor_type="row", zebra_stripes=False, **kwargs)  # type: ignore[arg-type]
        self._column_names = list(columns)

    def on_mount(self) -> None:
        for name in self._column_names:
            self.add_column(Text(name, end=""), key=name)

    def _scroll_update(self, virtual_size: Size) -> None:
        """Textual's, except that a scrollbar is redrawn only when its sizes change.

        Textual redraws both scrollbars after every layout pass, even unchanged: with four
        tables that is one more frame of identical scrollbars after the screen is drawn
        (a ScrollBar's sizes are reactive, so a real change still redraws it).
        """
        self._refresh_scrollbars()
        width, height = self.container_size
        if self.show_vertical_scrollbar and self.styles.scrollbar_size_vertical:
            window = height - self.scrollbar_size_horizontal
            _set_window(self.vertical_scrollbar, virtual_size.height, window)
        if self.show_horizontal_scrollbar and self.styles.scrollbar_size_horizontal:
            window = width - self.scrollbar_size_vertical
            _set_window(self.horizontal_scrollbar, virtual_size.width, window)
        self.scroll_x = self.validate_scroll_x(self.scroll_x)
        self.scroll_y = self.validate_scroll_y(self.scroll_y)

    @property
    def current_key(self) -> str | None:
        """The key of the row under the cursor (None when empty)."""
        if self.row_count == 0:
            return None
        key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key
        return str(key.value) if key.value is not None else None

    def replace_rows(self, rows: Iterable[Row]) -> None:
        """Swap the rows, keeping the cursor on the same key (or else the same line)."""
        keep_key, keep_row = self.current_key, self.cursor_row
        self.clear()
        seen: set[str] = set()
        for key, cells in rows:
            if key in seen:  # a table key must be unique; the first row wins
                continue
            seen.add(key)
            self.add_row(*cells, key=key)
        if self.row_count == 0:
            return
        target = self.get_row_index(keep_key) if keep_key in seen else keep_row
        self.move_cursor(row=min(target, self.row_count - 1), animate=False)


def _set_window(bar: ScrollBar, virtual: int, window: int) -> None:
    bar.window_virtual_size = virtual
    bar.window_size = window
