"""At 80 columns every list fits the terminal (columns give way instead of scrolling sideways)
and the status line keeps what matters most first."""

from __future__ import annotations

import pytest
from conftest import settle
from textual.pilot import Pilot
from textual.widgets import Input

from core.extraction_version import EXTRACTED_WITH
from core.store import open_db, set_meta, write_transaction
from tui.messages import OpenPlace
from tui.screens.place import PlaceScreen
from tui.screens.search import SearchScreen
from tui.widgets.grid import Grid
from tui.widgets.panes import PlacesPane
from tui.widgets.section import Section


def _column_names(grid: Grid) -> list[str]:
    return [column.label.plain for column in grid.ordered_columns]


def _fits(grid: Grid) -> bool:
    """No sideways scrolling: the rows are no wider than the table."""
    return grid.virtual_size.width <= grid.scrollable_content_region.width


async def _open_places(pilot: Pilot) -> Grid:
    await settle(pilot)
    await pilot.press("2")
    await settle(pilot)
    return pilot.app.screen.query_one(PlacesPane).grid


async def test_places_at_80_columns_show_the_latest_figure_not_the_sparkline(
    sample_path, make_sample_app
):
    app = make_sample_app(sample_path)
    async with app.run_test(size=(80, 24)) as pilot:
        grid = await _open_places(pilot)
        assert "14 days" not in _column_names(grid)
        assert _column_names(grid)[-1] == "Latest figure"
        assert _fits(grid)
        figures = [grid.get_row_at(i)[-1].plain for i in range(grid.row_count)]
        assert any("killed" in figure for figure in figures)


async def test_places_at_120_columns_keep_the_sparkline(sample_path, make_sample_app):
    app = make_sample_app(sample_path)
    async with app.run_test(size=(120, 40)) as pilot:
        grid = await _open_places(pilot)
        assert _column_names(grid)[-2:] == ["14 days", "Latest figure"]
        assert _fits(grid)


async def test_resizing_switches_the_places_columns_and_keeps_the_cursor(
    sample_path, make_sample_app
):
    app = make_sample_app(sample_path)
    async with app.run_test(size=(120, 40)) as pilot:
        grid = await _open_places(pilot)
        await pilot.press("down", "down")
        chosen = grid.current_key
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert "14 days" not in _column_names(grid)
        assert grid.current_key == chosen
        await pilot.resize_terminal(120, 40)
        await settle(pilot)
        assert "14 days" in _column_names(grid)
        assert grid.current_key == chosen


@pytest.mark.parametrize("place", ["Saraqeb", "Al-Nayrab", "Kafr Nabl", "Maarat al-Numan"])
async def test_place_timeline_fits_80_columns(place, sample_path, make_sample_app):
    app = make_sample_app(sample_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.post_message(OpenPlace(place))
        await settle(pilot)
        assert isinstance(app.screen, PlaceScreen)
        timeline = app.screen.query_one("#timeline", Section).grid
        assert timeline.row_count >= 1
        assert _column_names(timeline) == ["From", "Until", "Held by", "How", "First source"]
        assert _fits(timeline)


async def test_search_results_fit_80_columns(sample_path, make_sample_app):
    app = make_sample_app(sample_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await pilot.press(*"Saraqeb")
        await settle(pilot)
        assert isinstance(app.screen, SearchScreen)
        app.screen.query_one(Input).cursor_blink = False
        results = app.screen.query_one("#results", Section).grid
        assert results.row_count > 0
        assert _fits(results)


def _status_text(app) -> str:  # type: ignore[no-untyped-def]
    return str(app.screen.query_one("#status").render())


async def test_status_line_says_when_extraction_needs_a_reindex(sample_path, make_sample_app):
    app = make_sample_app(sample_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "reindex" not in _status_text(app)
    store = open_db(sample_path)
    with write_transaction(store):
        set_meta(store, EXTRACTED_WITH, "older-rules")
    store.conn.close()
    stale = make_sample_app(sample_path)
    async with stale.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "extraction outdated: sitrep reindex" in _status_text(stale)


async def test_timeline_says_how_the_holder_came_to_hold_it(sample_path, make_sample_app):
    """'withdrew from' beside the government read as if the government had withdrawn."""
    app = make_sample_app(sample_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.post_message(OpenPlace("Al-Nayrab"))
        await settle(pilot)
        timeline = app.screen.query_one("#timeline", Section).grid
        rows = [[c.plain for c in timeline.get_row_at(i)] for i in range(timeline.row_count)]
        assert all(row[3] != "withdrew from" for row in rows)
        gained = [row for row in rows if row[3] == "won (rival left)"]
        assert gained and gained[0][2].startswith("■ government")


async def _result_count(app, query: str) -> int:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await pilot.press(*query)
        await settle(pilot)
        return app.screen.query_one("#results", Section).grid.row_count


async def test_search_finds_every_spelling_of_a_place(sample_path, make_sample_app):
    saraqib = await _result_count(make_sample_app(sample_path), "Saraqib")
    saraqeb = await _result_count(make_sample_app(sample_path), "Saraqeb")
    assert saraqib == saraqeb > 20
