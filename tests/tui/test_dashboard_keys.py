"""Every main-screen key, driven through the real app on a real database."""

from __future__ import annotations

from conftest import settle
from rich.text import Text
from textual.widgets import DataTable, Static

from core.store import open_db
from tui.screens.help import HelpScreen
from tui.screens.main import MainScreen
from tui.screens.search import SearchScreen
from tui.widgets.panes import ActorsPane, FiguresPane, HeadlinesPane, PlacesPane


def _cell_texts(table: DataTable, column: int) -> list[str]:
    return [table.get_row_at(i)[column].plain for i in range(table.row_count)]


async def test_main_screen_loads_every_pane(fixture_path, make_app):
    app = make_app(fixture_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        headlines = screen.query_one(HeadlinesPane).grid
        titles = _cell_texts(headlines, 3)
        assert titles[0] == "[UPDATE] Ceasefire [/] talks resume"  # newest first, literal
        assert "Ceasefire takes effect in Idlib +1 sources" in titles  # syndicated copy folded
        assert len(titles) == 11
        places = screen.query_one(PlacesPane).grid
        assert _cell_texts(places, 0)[0] == "Saraqeb"
        assert _cell_texts(places, 1)[0] == "■ government"  # symbol and word
        assert _cell_texts(screen.query_one(ActorsPane).grid, 0)[0] == "Syrian government"
        figures = screen.query_one(FiguresPane).grid
        displaced = figures.get_row("displaced")
        assert displaced[1].plain == "about 950,000"
        assert "≠" in displaced[2].plain and "900,000" in displaced[2].plain


async def test_new_marker_only_on_articles_fetched_after_last_look(fixture_path, make_app):
    app = make_app(fixture_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        grid = app.screen.query_one(HeadlinesPane).grid
        marks = dict(zip(_cell_texts(grid, 3), _cell_texts(grid, 0), strict=True))
        assert marks["Strikes on Ariha kill civilians"] == "●"
        assert marks["Shelling near Al-Nayrab"] == " "
    # the look is remembered: a second session sees nothing new
    second = make_app(fixture_path)
    async with second.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        grid = second.screen.query_one(HeadlinesPane).grid
        assert set(_cell_texts(grid, 0)) == {" "}


async def test_tab_number_keys_and_shift_tab_move_between_panes(fixture_path, make_app):
    app = make_app(fixture_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert app.focused is screen.query_one(HeadlinesPane).grid
        await pilot.press("tab")
        await pilot.pause()
        assert app.focused is screen.query_one(PlacesPane).grid
        assert screen.query_one(PlacesPane).display and not screen.query_one(HeadlinesPane).display
        await pilot.press("4")
        await pilot.pause()
        assert app.focused is screen.query_one(FiguresPane).grid
        await pilot.press("shift+tab")
        await pilot.pause()
        assert app.focused is screen.query_one(ActorsPane).grid
        await pilot.press("1")
        await pilot.pause()
        assert app.focused is screen.query_one(HeadlinesPane).grid


async def test_wide_terminal_shows_all_four_panes(fixture_path, make_app):
    app = make_app(fixture_path)
    async with app.run_test(size=(200, 60)) as pilot:
        await settle(pilot)
        panes = [HeadlinesPane, PlacesPane, ActorsPane, FiguresPane]
        assert all(app.screen.query_one(p).region.height > 5 for p in panes)


async def test_arrows_and_j_k_move_the_cursor(fixture_path, make_app):
    app = make_app(fixture_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        grid = app.screen.query_one(HeadlinesPane).grid
        await pilot.press("j", "j", "down")
        assert grid.cursor_row == 3
        await pilot.press("k", "up")
        assert grid.cursor_row == 1


async def test_t_cycles_the_time_window_and_filters_headlines(fixture_path, make_app):
    app = make_app(fixture_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        grid = app.screen.query_one(HeadlinesPane).grid
        assert app.window == "all" and grid.row_count == 11
        await pilot.press("t")
        await settle(pilot)
        assert app.window == "24h"
        assert _cell_texts(grid, 3) == ["[UPDATE] Ceasefire [/] talks resume"]
        await pilot.press("t")
        await settle(pilot)
        assert app.window == "7d" and grid.row_count == 6
        await pilot.press("t", "t")
        await settle(pilot)
        assert app.window == "all" and grid.row_count == 11


async def test_r_refresh_reads_again(fixture_path, make_app):
    from datetime import date

    from dashboard_fixture import _article

    from core.store import open_db, write_batch

    app = make_app(fixture_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        other = open_db(fixture_path)
        write_batch(
            other,
            [
                _article(
                    40,
                    date(2020, 3, 16),
                    "Wire",
                    "Fresh report",
                    "Fresh text.",
                    places=["Ariha"],
                    actors=[],
                )
            ],
        )
        await pilot.press("r")
        await settle(pilot)
        grid = app.screen.query_one(HeadlinesPane).grid
        assert "Fresh report" in _cell_texts(grid, 3)


async def test_help_opens_with_question_mark_and_f1_and_lists_bindings(fixture_path, make_app):
    app = make_app(fixture_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        for key in ("question_mark", "f1"):
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)
            grid = app.screen.query_one(DataTable)
            rows = [
                (grid.get_row_at(i)[0].plain, grid.get_row_at(i)[1].plain)
                for i in range(grid.row_count)
            ]
            assert ("t", "Window (24 h, 7 days, 30 days, all)") in rows
            assert ("c", "Copy URL (with OSC 52: works over SSH)") in rows
            assert any(k == "/" for k, _ in rows)
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, MainScreen)


async def test_q_quits_from_main_but_not_from_a_drill_down(fixture_path, make_app):
    app = make_app(fixture_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen)
        await pilot.press("escape")  # leaves the search screen
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("q")  # on the article screen: nothing happens
        await pilot.pause()
        assert app.is_running
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0
    assert not app.is_running


async def test_command_palette_jumps_to_a_place_by_name(fixture_path, make_app):
    from tui.screens.place import PlaceScreen

    app = make_app(fixture_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"saraqeb")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PlaceScreen)
        assert app.screen.place == "Saraqeb"


async def test_command_palette_jumps_to_an_actor(fixture_path, make_app):
    from tui.screens.actor import ActorScreen

    app = make_app(fixture_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"OCHA")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ActorScreen)
        assert app.screen.actor == "OCHA"


async def test_footer_shows_the_keys_and_keeps_them_across_pane_moves(fixture_path, make_app):
    from tui.widgets.footer import KeyFooter

    app = make_app(fixture_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        footer = app.screen.query_one(KeyFooter)
        shown = set(footer.keys)
        assert {("t", "Window"), ("r", "Refresh"), ("q", "Quit")} <= shown
        assert {("question_mark", "Help"), ("slash", "Search")} <= shown
        assert footer.keys[-1] == ("ctrl+p", "palette")  # on the right
        line = footer.render().plain
        assert line.startswith(" t Window  r Refresh  q Quit ") and line.endswith("^p palette ")
        assert len(line) == 120
        before = footer._spans
        await pilot.press("tab", "3")
        await settle(pilot)
        assert footer.keys and footer._spans is before  # the same keys, not redrawn
        await pilot.press("question_mark")
        await settle(pilot)
        assert ("escape", "Back") in app.screen.query_one(KeyFooter).keys


async def test_clicking_a_footer_key_presses_it(fixture_path, make_app):
    from tui.widgets.footer import KeyFooter

    app = make_app(fixture_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        footer = app.screen.query_one(KeyFooter)
        start = footer.render().plain.index(" ? Help")
        await pilot.click(KeyFooter, offset=(start + 1, 0))
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)


async def test_an_empty_pane_says_why_and_the_note_goes_when_rows_come(tmp_path, make_app):
    empty = tmp_path / "empty.db"
    open_db(empty).conn.close()
    app = make_app(empty)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        pane = app.screen.query_one(FiguresPane)
        note = pane.query_one("#empty", Static)
        assert note.display and "No figures in this time window" in str(note.render())
        pane.show_rows([("killed", [Text("killed")] + [Text("")] * 5)])  # a live reload
        await settle(pilot)
        assert not note.display
        assert pane.grid.display
