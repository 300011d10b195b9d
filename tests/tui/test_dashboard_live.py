"""Live updates: another connection or process writes; panes follow, keeping the cursor."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from conftest import settle
from dashboard_fixture import GOV, _article
from textual.message import Message

from core.models import ControlEvent, Figure
from core.store import open_db, write_batch
from tui.messages import PanesLoaded
from tui.widgets.panes import HeadlinesPane, PlacesPane

WRITER = str(Path(__file__).with_name("dashboard_writer.py"))
ENV = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}


class LiveLoads:
    """A message hook that lets a test wait for the next live reload (no sleeping)."""

    def __init__(self, articles: int | None = None) -> None:
        self.event = asyncio.Event()
        self.articles = articles  # wait for a load that shows this many articles

    def __call__(self, message: Message) -> None:
        if not (isinstance(message, PanesLoaded) and message.live):
            return
        if self.articles is None or message.data.status.articles == self.articles:
            self.event.set()

    async def wait(self, timeout: float = 20.0) -> None:
        await asyncio.wait_for(self.event.wait(), timeout)
        self.event.clear()


def _titles(app) -> list[str]:
    grid = app.screen.query_one(HeadlinesPane).grid
    return [grid.get_row_at(i)[3].plain for i in range(grid.row_count)]


def _notes(app) -> list[str]:
    return [n.message for n in app._notifications]


async def test_new_control_change_and_figure_update_panes_and_notify(fixture_path, make_app):
    loads = LiveLoads()
    app = make_app(fixture_path, poll_interval=0.05)
    async with app.run_test(size=(120, 40), message_hook=loads) as pilot:
        await settle(pilot)
        places = app.screen.query_one(PlacesPane).grid
        await pilot.press("2", "j", "j", "j")  # cursor on Ariha
        await pilot.pause()
        assert places.current_key == "Ariha"
        text = "Syrian government forces took Ariha; at least 20 people were killed."
        article = _article(
            50,
            date(2020, 3, 16),
            "Levant Wire",
            "Government takes Ariha",
            text,
            places=["Ariha"],
            actors=[GOV],
            events=[
                ControlEvent(
                    place="Ariha",
                    actor="Syrian government",
                    side="government",
                    verb="took",
                    sentence=text,
                )
            ],
            figures=[
                Figure(
                    category="killed",
                    value=20,
                    low=20,
                    qualifier="at_least",
                    place="Ariha",
                    date=date(2020, 3, 16),
                    sentence=text,
                )
            ],
        )
        writer = open_db(fixture_path)
        write_batch(writer, [article])
        writer.conn.close()
        await loads.wait()
        await settle(pilot)
        assert _titles(app)[0] == "Government takes Ariha"
        assert places.current_key == "Ariha"  # the cursor stayed on its row
        assert places.get_row("Ariha")[1].plain == "■ government"
        notes = _notes(app)
        assert "Ariha changed hands: now held by government (Syrian government)" in notes
        assert "New figure for Ariha: at least 20 killed" in notes


async def test_another_process_writing_shows_up_after_the_poll(fixture_path, make_app, tmp_path):
    feed = tmp_path / "new.jsonl"
    rows = [
        {
            "url": f"https://late.example/{i}",
            "title": f"Late report {i}",
            "body": "Text.",
            "published": "2020-03-16T11:00:00Z",
            "source": "Late Wire",
        }
        for i in range(3)
    ]
    feed.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    loads = LiveLoads()
    app = make_app(fixture_path, poll_interval=0.05)
    async with app.run_test(size=(120, 40), message_hook=loads) as pilot:
        await settle(pilot)
        await asyncio.to_thread(
            subprocess.run,
            [sys.executable, WRITER, str(fixture_path), str(feed)],
            check=True,
            capture_output=True,
            env=ENV,
        )
        await loads.wait()
        await settle(pilot)
        assert {"Late report 0", "Late report 1", "Late report 2"} <= set(_titles(app))


async def test_two_dashboards_poll_while_an_ingest_writes(fixture_path, make_app, tmp_path):
    """No "database is locked" (nor any other worker error) while a writer runs."""
    feed = tmp_path / "bulk.jsonl"
    with feed.open("w") as out:
        for i in range(1000):
            out.write(
                json.dumps(
                    {
                        "url": f"https://bulk.example/{i}",
                        "title": f"Bulk {i}",
                        "body": f"Bulk text number {i} about Saraqeb.",
                        "places": ["Saraqeb"],
                        "published": "2020-03-15T10:00:00Z",
                        "source": "Bulk",
                    }
                )
                + "\n"
            )
    first, second = (make_app(fixture_path, poll_interval=0.05) for _ in range(2))
    loads = [LiveLoads(articles=12 + 1000), LiveLoads(articles=12 + 1000)]
    async with (
        first.run_test(size=(120, 40), message_hook=loads[0]) as one,
        second.run_test(size=(80, 24), message_hook=loads[1]) as two,
    ):
        await settle(one)
        await settle(two)
        writer = subprocess.Popen(
            [sys.executable, WRITER, str(fixture_path), str(feed)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=ENV,
        )
        await asyncio.to_thread(writer.wait)  # both apps poll (and reload) meanwhile
        assert writer.returncode == 0, writer.stderr.read() if writer.stderr else ""
        await loads[0].wait()
        await loads[1].wait()
        for app in (first, second):
            assert not [n for n in app._notifications if n.severity == "error"]


async def test_a_bulk_update_gives_one_notice_per_kind_not_a_wall(fixture_path, make_app):
    """An ingest that changes many tracked places at once: more than three changes of a kind
    are summed up in one notice naming the places, not a toast per place over the screen."""
    from core.query.dashboard import PlaceRow

    names = ["Saraqeb", "Maarat al-Numan", "Al-Nayrab", "Ariha", "Sarmin"]

    def killed(value: int) -> Figure:
        return Figure(category="killed", value=value, low=value, qualifier="exact")

    before = [PlaceRow(name=n, side="opposition", latest_figure=killed(1)) for n in names]
    after = [
        PlaceRow(name=n, side="government" if i < 2 else "opposition", latest_figure=killed(9))
        for i, n in enumerate(names)
    ]
    app = make_app(fixture_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app._notifications.clear()
        app.screen._announce_changes(before, after)
        await pilot.pause()
        notes = _notes(app)
    assert notes == [
        "Saraqeb changed hands: now held by government",
        "Maarat al-Numan changed hands: now held by government",
        f"5 tracked places have new figures: {', '.join(names)}",
    ]
