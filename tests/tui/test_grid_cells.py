"""The grid's direct path for one-line Text cells draws exactly what DataTable's rich path draws."""

from __future__ import annotations

import pytest
from conftest import settle
from rich.console import Console
from rich.padding import Padding
from rich.style import Style
from rich.text import Text
from textual.coordinate import Coordinate
from textual.geometry import Region
from textual.render import measure
from textual.renderables.styled import Styled

from tui.widgets.grid import _cell_width, _share, _text_cell_line
from tui.widgets.panes import ActorsPane, FiguresPane, HeadlinesPane, PlacesPane


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


@pytest.mark.parametrize(
    ("room", "wanted", "widths"),
    [
        (59, [80, 40], [40, 19]),  # the second takes a third, the first the rest
        (59, [30, 40], [30, 29]),  # what the first leaves unused goes to the second
        (59, [80, 10], [49, 10]),  # and the other way round
        (200, [80, 40], [80, 40]),  # room for both: each as wide as its widest cell
        (10, [80, 40], [12, 12]),  # never narrower than FLEX_MIN_WIDTH (the table scrolls)
        (30, [80], [30]),
    ],
)
def test_flex_columns_share_the_room(room, wanted, widths):
    assert _share(room, wanted) == widths


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
async def test_headlines_fit_their_pane_without_scrolling_sideways(
    size, sample_path, make_sample_app
):
    """Every column shows (titles and places cut with an ellipsis), no horizontal scrollbar."""
    app = make_sample_app(sample_path)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        grid = app.screen.query_one(HeadlinesPane).grid
        width = sum(column.get_render_width(grid) for column in grid.columns.values())
        assert not grid.show_horizontal_scrollbar
        assert width <= grid.scrollable_content_region.width
        titles = [grid.get_cell_at(Coordinate(row, 3)) for row in range(grid.row_count)]
        title_column = grid.ordered_columns[3]
        cut = [t for t in titles if t.cell_len > title_column.width]
        assert cut, "the sample has titles wider than the column"
        assert all(t.overflow == "ellipsis" for t in titles)
        lines = grid.render_lines(Region(0, 0, grid.size.width, 2))
        assert "…" in lines[1].text  # the first row's title, cut
        assert "Places" in lines[0].text


@pytest.mark.parametrize("size", [(120, 40), (200, 60)], ids=["120x40", "200x60"])
async def test_every_pane_shows_all_its_columns_when_all_four_show(
    size, sample_path, make_sample_app
):
    """With the four panes on screen, none hides columns behind a sideways scroll: at 120
    columns they stack full width; actors and figures sit side by side only when both fit."""
    app = make_sample_app(sample_path)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        for pane in (HeadlinesPane, PlacesPane, ActorsPane, FiguresPane):
            grid = app.screen.query_one(pane).grid
            width = sum(column.get_render_width(grid) for column in grid.columns.values())
            assert grid.region.height > 3, pane.__name__
            assert not grid.show_horizontal_scrollbar, pane.__name__
            assert width <= grid.scrollable_content_region.width, pane.__name__


async def test_figures_fit_80_columns_with_source_cut(sample_path, make_sample_app):
    app = make_sample_app(sample_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        grid = app.screen.query_one(FiguresPane).grid
        width = sum(column.get_render_width(grid) for column in grid.columns.values())
        assert not grid.show_horizontal_scrollbar
        assert width <= grid.scrollable_content_region.width
        lines = grid.render_lines(Region(0, 0, grid.size.width, 8))
        assert any("…" in line.text for line in lines[1:]), "a long source is cut, not hidden"
