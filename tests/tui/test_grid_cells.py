"""The grid's direct path for one-line Text cells draws exactly what DataTable's rich path draws."""

from __future__ import annotations

import pytest
from rich.console import Console
from rich.padding import Padding
from rich.style import Style
from rich.text import Text
from textual.render import measure
from textual.renderables.styled import Styled

from tui.widgets.grid import _cell_width, _text_cell_line


def _cells() -> list[Text]:
    spans = Text("Saraqeb ", style="bold")
    spans.append("+2 sources", style="dim")
    return [
        Text("Khan Shaykhun", end=""),
        Text("displaced", style="bold"),
        Text("42", justify="right", end=""),
        Text("a long headline that will not fit in the column at all", overflow="ellipsis"),
        Text("[UPDATE] Ceasefire [/] talks resume", end=""),
        Text("Idlib 伊德利卜 — مدينة إدلب", style="italic"),
        Text("", end=""),
        Text("▲ opposition", style=Style(bold=True)),
        spans,
    ]


@pytest.mark.parametrize("cell", _cells(), ids=lambda c: c.plain[:12] or "empty")
def test_direct_cell_line_matches_rich(cell):
    console = Console(width=120, color_system="truecolor", force_terminal=True)
    pre = Style(color="red", bold=True) + Style.from_meta({"row": 3, "column": 1})
    post = Style(bgcolor="blue")
    for width in (1, 2, 3, 5, 9, 14, 30, 80):
        options = console.options.update_dimensions(width, 1).update(no_wrap=True)
        for padding in (0, 1):
            line = _text_cell_line(console, options, cell, padding, pre, post)
            rich_lines = console.render_lines(
                Styled(Padding(cell, (0, padding)), pre, post), options
            )
            if line is None:  # too narrow for the padding: rich's own path draws it
                assert width - 2 * padding < 1
                continue
            assert [line] == rich_lines, (cell.plain, width, padding)


def test_cells_the_direct_path_leaves_to_rich():
    console = Console(width=80)
    options = console.options.update_dimensions(20, 1).update(no_wrap=True)
    style = Style()
    assert _text_cell_line(console, options, "a markup [b]string[/b]", 1, style, style) is None
    assert _text_cell_line(console, options, Text("two\nlines"), 1, style, style) is None
    assert _text_cell_line(console, options, Text("a\ttab"), 1, style, style) is None
    wrapping = console.options.update_dimensions(20, 2)
    assert _text_cell_line(console, wrapping, Text("x"), 1, style, style) is None


@pytest.mark.parametrize(
    "cell",
    [*_cells(), Text("two\nlines, the second longer"), Text("tab\there"), Text("\n"), "plain str"],
    ids=lambda c: str(c)[:12] or "empty",
)
def test_direct_cell_width_matches_textual_measure(cell):
    """The grid sizes its columns by the same width DataTable's measuring would give."""
    console = Console(width=120)
    assert _cell_width(console, cell) == measure(console, cell, 1)
