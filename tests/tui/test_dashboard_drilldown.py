"""Drill-downs: main -> place -> article -> back; figure provenance; actor; search."""

from __future__ import annotations

from conftest import settle
from textual.widgets import DataTable, Input, Static

from tui.screens.actor import ActorScreen
from tui.screens.article import ArticleScreen
from tui.screens.figure import FigureScreen
from tui.screens.main import MainScreen
from tui.screens.place import PlaceScreen
from tui.screens.search import SearchScreen
from tui.widgets.panes import FiguresPane, PlacesPane
from tui.widgets.section import Section


def _rows(section: Section) -> list[list[str]]:
    grid = section.grid
    return [[cell.plain for cell in grid.get_row_at(i)] for i in range(grid.row_count)]


def _static_text(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def test_place_then_article_then_back_keeps_the_cursor(fixture_path, make_app):
    app = make_app(fixture_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await pilot.pause()
        assert app.focused is app.screen.query_one(PlacesPane).grid
        await pilot.press("enter")  # Saraqeb
        await settle(pilot)
        place = app.screen
        assert isinstance(place, PlaceScreen) and place.place == "Saraqeb"
        timeline = _rows(place.query_one("#timeline", Section))
        assert [(r[0], r[1], r[2]) for r in timeline] == [
            ("2020-02-06", "2020-02-27", "■ government (Syrian government)"),
            ("2020-02-27", "2020-03-02", "▲ opposition (Syrian opposition)"),
            ("2020-03-02", "now", "■ government (Syrian government)"),
        ]
        assert timeline[1][5] == "Frontline Syria"
        assert "retook Saraqeb" in timeline[1][6]
        assert "held by ■ government" in _static_text(place, "#header")
        await pilot.press("down", "enter")  # the 2020-02-27 change -> its article
        await settle(pilot)
        article = app.screen
        assert isinstance(article, ArticleScreen)
        assert article.url == "https://news.example/3"
        assert "Rebels retake Saraqeb" in _static_text(article, "#header")
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is place
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert app.focused is app.screen.query_one(PlacesPane).grid


async def test_article_highlights_names_and_copies_url_with_osc52(fixture_path, make_app):
    app = make_app(fixture_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("j", "enter")  # Strikes on Ariha
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ArticleScreen)
        body = screen.query_one("#article-text", Static).render()
        styled = {body.plain[s.start : s.end]: str(s.style) for s in body.spans}
        assert "Ariha" in styled and "bold" in styled["Ariha"]
        figures = _rows(screen.query_one("#article-figures", Section))
        assert figures[0][0] == "at least 12 killed"
        await pilot.press("c")
        await pilot.pause()
        assert app.clipboard == "https://news.example/7"


async def test_figure_provenance_from_the_figures_pane(fixture_path, make_app):
    app = make_app(fixture_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("4")
        await pilot.pause()
        figures = app.screen.query_one(FiguresPane).grid
        figures.move_cursor(row=figures.get_row_index("displaced"))
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, FigureScreen)
        source = _static_text(screen, "#figure-source")
        assert "Nearly 950,000 people have been displaced" in source
        assert "Relief Monitor" in source and "https://news.example/5" in source
        others = _rows(screen.query_one("#figure-others", Section))
        assert [(r[1], r[2]) for r in others] == [("about 900,000", "Gulf Dispatch")]
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, ArticleScreen)
        assert app.screen.url == "https://news.example/5"


async def test_actor_screen_lists_places_actions_quotes_articles(fixture_path, make_app):
    app = make_app(fixture_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.post_message(__import__("tui.messages").messages.OpenActor("OCHA"))
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ActorScreen)
        assert "✚ humanitarian" in _static_text(screen, "#header")
        quotes = _rows(screen.query_one("#actor-quotes", Section))
        assert quotes[0][2] == "The needs are enormous."
        articles = [r[2] for r in _rows(screen.query_one("#actor-articles", Section))]
        assert articles == ["Aid convoys cross into Idlib", "Displacement nears one million"]
        places = _rows(screen.query_one("#actor-places", Section))
        assert places[0][0] == "Idlib Governorate"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PlaceScreen)


async def test_search_lists_hits_and_enter_opens_the_article(fixture_path, make_app):
    app = make_app(fixture_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen)
        assert app.focused is app.screen.query_one(Input)
        await pilot.press(*"Saraqeb")
        await settle(pilot)
        titles = [r[2] for r in _rows(app.screen.query_one("#results", Section))]
        assert titles[0] == "Shelling near Al-Nayrab"  # newest first
        assert "Rebels retake Saraqeb" in titles
        await pilot.press("enter")  # from the input: into the results
        await pilot.pause()
        assert isinstance(app.focused, DataTable)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ArticleScreen)
        assert app.screen.url == "https://news.example/4"


async def test_search_with_fts_syntax_characters_does_not_fail(fixture_path, make_app):
    app = make_app(fixture_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await pilot.pause()
        for char in '"(NEAR* -:^':
            await pilot.press(char)
        await settle(pilot)
        assert isinstance(app.screen, SearchScreen)
        titles = [r[2] for r in _rows(app.screen.query_one("#results", Section))]
        assert "Shelling near Al-Nayrab" in titles  # the word survives as a prefix search


def test_reports_of_one_change_form_one_period_of_control():
    from core.models import ControlEvent
    from tui.screens.place import control_periods

    def event(side: str, day: int) -> ControlEvent:
        return ControlEvent(place="X", side=side, verb="took", date=f"2020-02-{day:02d}")

    history = [
        event("government", 5),
        event("government", 6),
        event("opposition", 24),
        event("government", 27),
        event("government", 28),
    ]
    periods = control_periods(history)
    assert [(p[0].side, len(p)) for p in periods] == [
        ("government", 2),
        ("opposition", 1),
        ("government", 2),
    ]
