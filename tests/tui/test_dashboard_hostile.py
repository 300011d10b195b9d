"""Hostile feed text: markup, escape sequences and bidi overrides show literally, do nothing."""

from __future__ import annotations

from datetime import date

from conftest import settle
from dashboard_fixture import _article
from textual.widgets import Static

from core.store import open_db, write_batch
from tui.screens.article import ArticleScreen
from tui.screens.main import MainScreen
from tui.widgets.panes import HeadlinesPane

CLICK = "[@click=app.quit]x[/]"
UNSAFE = "Title \x1b]52;c;cHduZWQ=\x07with \x1b[31mESC\x9b C1 and \u202ebidi\u202c"
ACTION_BODY = "[@click=app.quit]Click me[/] and [b]bold[/b] and [link=https://evil.example]l[/]"


def _add(path, *items) -> None:
    db = open_db(path)
    write_batch(db, list(items))
    db.conn.close()


def _titles(app) -> dict[str, int]:
    grid = app.screen.query_one(HeadlinesPane).grid
    return {grid.get_row_at(i)[3].plain: i for i in range(grid.row_count)}


async def test_markup_in_titles_shows_literally_and_runs_nothing(fixture_path, make_app):
    _add(
        fixture_path,
        _article(60, date(2020, 3, 16), "[b]Wire[/b]", CLICK, ACTION_BODY, places=[], actors=[]),
    )
    app = make_app(fixture_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        titles = _titles(app)
        assert CLICK in titles and "[UPDATE] Ceasefire [/] talks resume" in titles
        grid = app.screen.query_one(HeadlinesPane).grid
        assert grid.get_row_at(titles[CLICK])[2].plain == "[b]Wire[/b]"
        # click the title's first cells: where a parsed @click would put its "x"
        title_x = sum(c.get_render_width(grid) for c in list(grid.columns.values())[:3])
        for dx in (1, 2, 3):
            await pilot.click(grid, offset=(title_x + dx, titles[CLICK] + 1))
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, (MainScreen, ArticleScreen))
        svg = app.export_screenshot()
        assert "@click=app.quit" in svg


async def test_article_body_with_markup_is_literal(fixture_path, make_app):
    _add(
        fixture_path,
        _article(61, date(2020, 3, 16), "Wire", CLICK, ACTION_BODY, places=[], actors=[]),
    )
    app = make_app(fixture_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ArticleScreen)
        body = app.screen.query_one("#article-text", Static).render()
        assert body.plain == ACTION_BODY
        assert all(not str(span.style).startswith("@") for span in body.spans)
        header = str(app.screen.query_one("#header", Static).render())
        assert CLICK in header
        assert app.is_running


async def test_escape_c1_and_bidi_never_reach_the_screen(fixture_path, make_app):
    _add(
        fixture_path,
        _article(62, date(2020, 3, 16), "Src\x1b[2J", UNSAFE, UNSAFE, places=[], actors=[]),
    )
    app = make_app(fixture_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        shown = [t for t in _titles(app) if t.startswith("Title")]
        assert len(shown) == 1
        for char in ("\x1b", "\x07", "\x9b", "\u202e", "\u202c"):
            assert char not in shown[0]
        assert "ESC" in shown[0] and "bidi" in shown[0]
        await pilot.press("enter")
        await settle(pilot)
        rendered = str(app.screen.query_one("#header", Static).render())
        rendered += app.screen.query_one("#article-text", Static).render().plain
        assert not any(c in rendered for c in ("\x1b", "\x07", "\x9b", "\u202e"))
        svg = app.export_screenshot()
        assert "\x1b" not in svg and "\u202e" not in svg


async def test_copying_a_hostile_url_notifies_literally(fixture_path, make_app):
    url = "https://x.example/[@click=app.quit]q[/]"
    _add(
        fixture_path,
        _article(
            63, date(2020, 3, 16), "Wire", "Plain title", "Body.", places=[], actors=[], url=url
        ),
    )
    app = make_app(fixture_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("c")
        await pilot.pause()
        assert app.clipboard == url
        assert f"Copied {url}" in [n.message for n in app._notifications]
        assert all(not n.markup for n in app._notifications)
        assert app.is_running
