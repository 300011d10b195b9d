"""A keyboard-first table whose rows can be replaced without losing the cursor."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import zip_longest
from typing import ClassVar, cast

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, JustifyMethod, OverflowMethod, RenderableType
from rich.padding import Padding
from rich.segment import Segment
from rich.style import Style
from rich.text import Span, Text
from textual import events
from textual._types import SegmentLines
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.render import measure
from textual.renderables.styled import Styled
from textual.scrollbar import ScrollBar
from textual.strip import Strip
from textual.widgets import DataTable
from textual.widgets._data_table import CellCacheKey, DuplicateKey, RowKey
from textual.widgets._data_table import Row as TableRow

Row = tuple[str, Sequence[Text]]
FLEX_MIN_WIDTH = 12  # a flex column is never cut narrower than this (the table scrolls instead)


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

    def __init__(
        self, columns: Sequence[str], *, flex: Sequence[str] = (), **kwargs: object
    ) -> None:
        """`flex`: the columns that give way (their cells cut with an ellipsis) so that a
        row fits the table's width instead of scrolling sideways (see `_share`)."""
        super().__init__(cursor_type="row", zebra_stripes=False, **kwargs)  # type: ignore[arg-type]
        self._column_names = list(columns)
        self._frame_style: Style | None = None
        self._flex = tuple(flex)
        self._kept_cursor: tuple[str | None, int] | None = None  # across `set_columns`

    def on_mount(self) -> None:
        for name in self._column_names:
            self.add_column(Text(name, end=""), key=name)

    def set_columns(self, columns: Sequence[str]) -> None:
        """Replace the columns (the rows go too: `replace_rows` brings the new ones, with the
        cursor kept on the same key)."""
        self._kept_cursor = (self.current_key, self.cursor_row)
        self.clear(columns=True)
        self._column_names = list(columns)
        for name in self._column_names:
            self.add_column(Text(name, end=""), key=name)

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        # A rendered row is padded out to the table's width: a new width needs new rows.
        if size.width != self.size.width:
            self._row_render_cache.clear()
        vertical = self.scrollbar_size_vertical if self.show_vertical_scrollbar else 0
        if self._fit_flex(size.width - vertical):  # a new width: the flex columns follow
            virtual_size = self.virtual_size = self._data_size()
        return super()._size_updated(size, virtual_size, container_size, layout)

    def _on_resize(self, event: events.Resize) -> None:
        """Keeps the rendered cells (DataTable discards every cached cell and row on Resize).

        A cell's rendering does not depend on the table's size, and the rows (which do, by
        their width) are discarded by `_size_updated` as the width changes. Textual sends the
        first Resize after the first frame is drawn, so DataTable's handler made the second
        frame render all four tables again, identical.
        """
        event.prevent_default()

    def _get_scrollable_region(self, region: Region) -> Region:
        """Textual's, except that on the first layout the scrollbars are decided here.

        Textual decides them after a layout, from the size it gave the table: rows that
        overflow the first layout show their scrollbar only in a second layout and frame
        (all four panes laid out and sent to the terminal again). The first time, the size
        is known here already (`region`: the table inside its border), so decide now.
        """
        if not self._container_size:
            self._container_size = region.size
            self._refresh_scrollbars()
            vertical = self.scrollbar_size_vertical if self.show_vertical_scrollbar else 0
            if self._fit_flex(region.width - vertical):
                self.virtual_size = self._data_size()
                self._refresh_scrollbars()
        return super()._get_scrollable_region(region)

    def _fit_flex(self, width: int) -> bool:
        """Narrow (or widen) the flex columns so the row fits `width` cells, each at most as
        wide as its widest cell and at least FLEX_MIN_WIDTH: a second flex column takes up to
        a third of their room, the first the rest. True when a width changed (the cells
        drawn at the old widths are dropped)."""
        if not self._flex or width <= 0:
            return False
        by_name = {column.key.value: column for column in self.columns.values()}
        flex = [by_name[name] for name in self._flex if name in by_name]
        if not flex:
            return False
        others = sum(c.get_render_width(self) for c in self.columns.values() if c not in flex)
        room = width - others - self._row_label_column_width - 2 * self.cell_padding * len(flex)
        widths = _share(room, [column.content_width for column in flex])
        changed = False
        for column, fitted in zip(flex, widths, strict=True):
            if column.auto_width or column.width != fitted:
                column.auto_width = False
                column.width = fitted
                changed = True
        if changed:
            self._clear_caches()
            self.refresh()
        return changed

    def _data_size(self) -> Size:
        """The rows' size (DataTable's virtual size): every column and the header."""
        data_width = sum(column.get_render_width(self) for column in self.columns.values())
        header_height = self.header_height if self.show_header else 0
        return Size(
            data_width + self._row_label_column_width,
            self._total_row_height + header_height,
        )

    def render_lines(self, crop: Region) -> list[Strip]:
        """DataTable's, with the table's base style worked out once per call, not per line
        (DOMNode.rich_style blends the colours of every ancestor each time it is read)."""
        self._frame_style = self.rich_style
        try:
            return super().render_lines(crop)
        finally:
            self._frame_style = None

    def render_line(self, y: int) -> Strip:
        """DataTable's (Textual 8.2.8), reading the base style `render_lines` worked out."""
        width = self.size.width
        scroll_x, scroll_y = self.scroll_offset
        fixed_keys = [self._row_locations.get_key(index) for index in range(self.fixed_rows)]
        fixed_height = sum(self.get_row_height(key) for key in fixed_keys)
        if self.show_header:
            fixed_height += self.get_row_height(self._header_row_key)
        if y >= fixed_height:
            y += scroll_y
        style = self.rich_style if self._frame_style is None else self._frame_style
        return self._render_line(y, scroll_x, scroll_x + width, style)

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

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        """DataTable's (Textual 8.2.8) for rows of height 1 without labels (every row here).

        DataTable measures each new cell through rich's measuring protocol (a fresh console
        options object and a split into words per cell: most of a pane's start-up cost at
        a hundred rows); a Text cell's width is its longest line's, measured directly.
        """
        new_rows = list(new_rows)
        if any(_needs_full_measure(self.rows.get(key)) for key in new_rows):
            super()._update_dimensions(new_rows)
            return
        columns = self.ordered_columns
        console = self.app.console
        for row_key in new_rows:
            row_index = self._row_locations.get(row_key)
            if row_index is None:  # removed before the table was idle
                continue
            data = self._data.get(row_key, {})
            if all(_is_text(data.get(column.key)) for column in columns):
                # DataTable's cell formatter returns a Text as it is (an empty one or a
                # missing cell becomes an empty Text: width 0), so measure the stored cells
                # without building the row's renderables (they are built for the rows drawn)
                cells: Sequence[object] = [data.get(column.key) for column in columns]
            else:
                cells = self._get_row_renderables(row_index).cells
            for column, cell in zip(columns, cells, strict=False):
                width = 0 if cell is None else _cell_width(console, cell)
                if width > column.content_width:
                    column.content_width = width
        if self._container_size:  # laid out already: fit the new widths (else the layout will)
            vertical = self.scrollbar_size_vertical if self.show_vertical_scrollbar else 0
            self._fit_flex(self.size.width - vertical)
        self.virtual_size = self._data_size()

    def _render_cell(
        self,
        row_index: int,
        column_index: int,
        base_style: Style,
        width: int,
        cursor: bool = False,
        hover: bool = False,
    ) -> SegmentLines:
        """DataTable's (Textual 8.2.8), with a direct path for a one-line `Text` cell.

        DataTable renders every cell through rich's Padding and Styled renderables and two
        line splits; for a single-line Text that is most of the cost of drawing a table.
        `_text_cell_line` yields the same segments directly (snapshot tests check it).
        """
        is_header_cell = row_index == -1
        is_row_label_cell = column_index == -1
        is_fixed_style_cell = (
            not is_header_cell
            and not is_row_label_cell
            and (row_index < self.fixed_rows or column_index < self.fixed_columns)
        )
        row_key = self._header_row_key if is_header_cell else self._row_locations.get_key(row_index)
        column_key = self._column_locations.get_key(column_index)
        cell_cache_key: CellCacheKey = (
            row_key,
            column_key,
            base_style,
            cursor,
            hover,
            self._show_hover_cursor,
            self._update_count,
            self._pseudo_class_state,
        )
        if cell_cache_key in self._cell_render_cache:
            return self._cell_render_cache[cell_cache_key]

        base_style += Style.from_meta({"row": row_index, "column": column_index})
        row_label, row_cells = self._get_row_renderables(row_index)
        if is_row_label_cell:
            cell = row_label if row_label is not None else ""
        else:
            cell = row_cells[column_index]
        component_style, post_style = self._get_styles_to_render_cell(
            is_header_cell,
            is_row_label_cell,
            is_fixed_style_cell,
            hover,
            cursor,
            self.show_cursor,
            self._show_hover_cursor,
            self.cursor_foreground_priority == "css",
            self.cursor_background_priority == "css",
        )
        if is_header_cell:
            row_height: int | None = self.header_height
        else:
            row = self.rows[row_key]
            row_height = None if row.auto_height and row.height == 0 else row.height
        console = self.app.console
        pre_style = base_style + component_style
        line = None
        if row_height == 1:  # the console options would be (width, 1, no_wrap): not built
            line = _one_line_cell(console, width, cell, self.cell_padding, pre_style, post_style)
        if line is not None:
            lines: SegmentLines = [line]
        else:
            options = self.app.console_options.update_width(width)
            if row_height is not None:
                options = options.update_dimensions(width, row_height)
            if row_height == 1:
                options = options.update(no_wrap=True)
            styled = Styled(Padding(cell, (0, self.cell_padding)), pre_style, post_style)
            lines = console.render_lines(styled, options)
        self._cell_render_cache[cell_cache_key] = lines
        return lines

    @property
    def current_key(self) -> str | None:
        """The key of the row under the cursor (None when empty)."""
        if self.row_count == 0:
            return None
        key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key
        return str(key.value) if key.value is not None else None

    def replace_rows(self, rows: Iterable[Row]) -> None:
        """Swap the rows, keeping the cursor on the same key (or else the same line)."""
        keep_key, keep_row = self._kept_cursor or (self.current_key, self.cursor_row)
        self._kept_cursor = None
        self.clear()
        if self._flex:  # the columns fit the new rows (DataTable's only ever grow)
            for column in self.columns.values():
                column.content_width = measure(self.app.console, column.label, 1)
        seen: set[str] = set()
        unique: list[Row] = []
        for key, cells in rows:
            if key in seen:  # a table key must be unique; the first row wins
                continue
            seen.add(key)
            unique.append((key, cells))
        self._add_rows(unique)
        if self.row_count == 0:
            return
        target = self.get_row_index(keep_key) if keep_key in seen else keep_row
        self.move_cursor(row=min(target, self.row_count - 1), animate=False)

    def _add_rows(self, rows: Sequence[Row]) -> None:
        """`add_row(*cells, key=key)` for each row, to an empty table (Textual 8.2.8's
        add_row, once per batch instead of once per row where that comes to the same).

        Per row DataTable sets the cursor to itself (clamped: it stays (0, 0) as rows are
        added; its watchers do nothing for an unchanged value), works out the ordered
        columns twice and asks for an idle pass; the first row also highlights the cursor's
        row. Done row by row, that was most of the cost of filling a hundred headlines.
        """
        columns = self.ordered_columns
        for index, (key, cells) in enumerate(rows, start=self.row_count):
            row_key = RowKey(key)
            if row_key in self._row_locations:
                raise DuplicateKey(f"The row key {row_key!r} already exists.")
            if len(cells) > len(columns):
                raise ValueError("More values provided than there are columns.")
            self._row_locations[row_key] = index
            self._data[row_key] = {column.key: cell for column, cell in zip_longest(columns, cells)}
            self.rows[row_key] = TableRow(row_key, 1, None, False)
            self._new_rows.add(row_key)
        if not rows:
            return
        first = self.row_count == len(rows)
        self._require_update_dimensions = True
        self.cursor_coordinate = self.cursor_coordinate
        if first and len(self.columns) > 0 and self.show_cursor and self.cursor_type != "none":
            self._highlight_cursor()
        self._update_count += len(rows)
        self.check_idle()


def _share(room: int, wanted: Sequence[int]) -> list[int]:
    """Widths for flex columns that want `wanted` cells within `room`: the second (if any)
    gets up to a third of the room, the first the rest, and what one leaves unused goes to
    the other; none narrower than FLEX_MIN_WIDTH unless it wants less (the table scrolls
    then), none wider than it wants."""
    if len(wanted) == 1:
        widths = [min(wanted[0], room)]
    else:
        first, second = wanted[0], wanted[1]
        other = min(second, max(FLEX_MIN_WIDTH, room // 3))
        main = min(first, room - other)
        widths = [main, min(second, room - main)] + [0 for _ in wanted[2:]]
    return [
        max(width, min(want, FLEX_MIN_WIDTH)) for width, want in zip(widths, wanted, strict=True)
    ]


def _is_text(cell: object) -> bool:
    return cell is None or isinstance(cell, Text)


def _needs_full_measure(row: TableRow | None) -> bool:
    """A row DataTable must measure itself: auto height (rendered to measure) or a label."""
    return row is not None and (row.auto_height or row.label is not None)


def _cell_width(console: Console, cell: object) -> int:
    """What `textual.render.measure(console, cell, 1)` returns, directly for a Text."""
    if isinstance(cell, Text):
        return max((cell_len(line) for line in cell.plain.splitlines()), default=0)
    return measure(console, cast(RenderableType, cell), 1)


def _set_window(bar: ScrollBar, virtual: int, window: int) -> None:
    bar.window_virtual_size = virtual
    bar.window_size = window


def _text_cell_line(
    console: Console,
    options: ConsoleOptions,
    cell: object,
    padding: int,
    pre_style: Style,
    post_style: Style,
) -> list[Segment] | None:
    """The one line `Styled(Padding(cell, (0, padding)), pre_style, post_style)` renders to
    at `options` (one row, no wrapping), or None when `cell` is not a plain one-line Text
    (which then takes rich's own path)."""
    if options.height != 1 or not options.no_wrap:
        return None
    width = options.max_width
    return _one_line_cell(
        console, width, cell, padding, pre_style, post_style, options.justify, options.overflow
    )


def _one_line_cell(
    console: Console,
    width: int,
    cell: object,
    padding: int,
    pre_style: Style,
    post_style: Style,
    justify: JustifyMethod | None = None,
    overflow: OverflowMethod | None = None,
) -> list[Segment] | None:
    """`_text_cell_line` at console options of `width`, one row, no wrapping, and the
    given justify and overflow (none: the app's console options)."""
    inner = width - 2 * padding
    if (
        not isinstance(cell, Text)
        or cell.no_wrap is False
        or inner < 1
        or "\n" in cell.plain
        or "\t" in cell.plain
    ):
        return None
    justify = cell.justify or justify or "default"
    overflow = cell.overflow or overflow or "fold"
    (text,) = cell.wrap(console, inner, justify=justify, overflow=overflow, no_wrap=True)
    if text.style:  # as Text.__rich_console__'s join does: the base style becomes a span
        text.spans.insert(0, Span(0, len(text), text.style))
        text.style = ""
    pad_style = console.get_style("none")
    content = Segment.adjust_line_length(list(text.render(console, end="")), inner, pad_style)
    if padding:
        side = Segment(" " * padding, pad_style)
        content = [side, *content, side]
    styled = list(Segment.apply_style(content, pre_style, post_style))
    return Segment.adjust_line_length(styled, width)
