"""Snapshots of every screen at 80x24 and 120x40: sample_data/ seeded, fixed clock, no timers.

Regenerate on purpose (after a Textual, extraction or sample-data change) with
`pytest tests/tui/test_dashboard_snapshots.py --snapshot-update`, then look at the SVGs.
"""

from __future__ import annotations

import pytest
from conftest import settle
from textual.pilot import Pilot
from textual.widgets import Input

from tui.messages import OpenActor, OpenPlace
from tui.screens.figure import FigureScreen
from tui.widgets.panes import FiguresPane, HeadlinesPane

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


async def _main(pilot: Pilot) -> None:
    await settle(pilot)


async def _places(pilot: Pilot) -> None:
    await settle(pilot)
    await pilot.press("2")
    await settle(pilot)


async def _place(pilot: Pilot) -> None:
    await settle(pilot)
    pilot.app.post_message(OpenPlace("Saraqeb"))
    await settle(pilot)


async def _actor(pilot: Pilot) -> None:
    await settle(pilot)
    pilot.app.post_message(OpenActor("Turkey"))
    await settle(pilot)


async def _article(pilot: Pilot) -> None:
    await settle(pilot)
    pane = pilot.app.screen.query_one(HeadlinesPane)
    pane.open(pane.grid.current_key or "")
    await settle(pilot)


async def _figure(pilot: Pilot) -> None:
    await settle(pilot)
    pane = pilot.app.screen.query_one(FiguresPane)
    assert pane.categories, "the sample window must show at least one figure"
    pane.open(pane.categories[0])
    await settle(pilot)
    assert isinstance(pilot.app.screen, FigureScreen)  # never snapshot the wrong screen


async def _search(pilot: Pilot) -> None:
    await settle(pilot)
    await pilot.press("slash")
    await pilot.press(*"Saraqeb")
    pilot.app.screen.query_one(Input).cursor_blink = False
    await settle(pilot)


async def _help(pilot: Pilot) -> None:
    await settle(pilot)
    await pilot.press("question_mark")
    await settle(pilot)


SCREENS = {
    "main": _main,
    "places": _places,
    "place": _place,
    "actor": _actor,
    "article": _article,
    "figure": _figure,
    "search": _search,
    "help": _help,
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("screen", list(SCREENS))
def test_screen_snapshot(screen, size, snap_compare, sample_path, make_sample_app):
    app = make_sample_app(sample_path)
    assert snap_compare(app, terminal_size=size, run_before=SCREENS[screen])
