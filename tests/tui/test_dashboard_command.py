"""`sitrep` / `sitrep dashboard`: seeding a fresh default database, flags, --watch, errors."""

from __future__ import annotations

import sqlite3
import threading

from conftest import modules_loaded, settle
from typer.testing import CliRunner

from core.query.articles import count_articles
from core.store import open_db
from tui.app import SitrepApp
from tui.cli import app as cli
from tui.screens.main import MainScreen


def _capture_run(monkeypatch) -> list[tuple[SitrepApp, dict]]:
    runs: list[tuple[SitrepApp, dict]] = []

    def fake_run(self: SitrepApp, **kwargs: object) -> None:
        runs.append((self, kwargs))

    monkeypatch.setattr(SitrepApp, "run", fake_run)
    return runs


def test_bare_sitrep_opens_the_dashboard_and_seeds_the_default_db(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("SITREP_DB", raising=False)
    monkeypatch.setattr("sys.argv", ["sitrep"])  # an empty argument list falls back to argv
    runs = _capture_run(monkeypatch)
    result = CliRunner().invoke(cli, [])
    assert result.exit_code == 0, result.output
    ((app, kwargs),) = runs
    assert kwargs == {"mouse": True}
    assert app.notice is not None and "seeded" in app.notice and "sample_data" in app.notice
    assert count_articles(open_db(app.db_path)) > 20


def test_no_mouse_and_an_explicit_db_is_not_seeded(monkeypatch, tmp_path):
    runs = _capture_run(monkeypatch)
    db = tmp_path / "mine.db"
    result = CliRunner().invoke(cli, ["dashboard", "--db", str(db), "--no-mouse"])
    assert result.exit_code == 0, result.output
    ((app, kwargs),) = runs
    assert kwargs == {"mouse": False}
    assert app.notice is None and count_articles(open_db(db)) == 0


def test_a_file_that_is_not_a_database_is_one_line_and_exit_2(tmp_path):
    bad = tmp_path / "notes.db"
    bad.write_text("not sqlite at all " * 100)
    result = CliRunner().invoke(cli, ["dashboard", "--db", str(bad)])
    assert result.exit_code == 2
    assert "not a SQLite database" in result.output
    assert "Traceback" not in result.output


async def test_seed_notice_is_shown_as_a_notification(fixture_path, make_app):
    app = make_app(fixture_path, notice="New database: seeded it with 3 sample articles [b]x[/b].")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        (note,) = list(app._notifications)
        assert note.message.endswith("[b]x[/b].") and not note.markup
        # it goes away on its own like every other notification (it once stayed 20 s)
        assert note.timeout == app.NOTIFICATION_TIMEOUT <= 10


async def test_watch_runs_in_a_worker_and_stops_with_the_app(fixture_path, make_app):
    started, stopped = threading.Event(), threading.Event()

    def watch(stop: threading.Event) -> None:
        started.set()
        stop.wait(30)
        stopped.set()

    app = make_app(fixture_path, watch=watch)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert started.wait(10)
        await pilot.press("q")
    assert stopped.wait(10)


async def test_a_failing_query_becomes_an_error_notification(fixture_path, make_app, monkeypatch):
    def broken(db):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr("tui.startup.status_info", broken)
    app = make_app(fixture_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        errors = [n.message for n in app._notifications if n.severity == "error"]
        assert errors and all(e.endswith(": disk I/O error") for e in errors)
        assert app.is_running and isinstance(app.screen, MainScreen)


async def test_a_slow_start_up_read_shows_the_screen_and_fills_it_when_it_lands(
    fixture_path, make_app, monkeypatch
):
    """The first frame waits for the start-up read only so long; keys work meanwhile."""
    from tui import startup as app_module
    from tui.widgets.panes import HeadlinesPane

    release = threading.Event()
    real_read = app_module.read_panes

    def slow_read(*args, **kwargs):
        release.wait(30)
        return real_read(*args, **kwargs)

    monkeypatch.setattr(app_module, "read_panes", slow_read)
    monkeypatch.setattr("tui.screens.main.FIRST_READ_WAIT", 0.01)
    app = make_app(fixture_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        grid = app.screen.query_one(HeadlinesPane).grid
        assert grid.row_count == 0
        await pilot.press("2")  # the screen answers keys while the read is out
        assert app.screen.active == 1
        release.set()
        await settle(pilot)
        assert grid.row_count > 0


def test_opening_a_current_database_does_not_load_the_store_writer(tmp_path):
    """`sitrep dashboard --db DB` on a migrated database reads it without sqlite-utils."""
    db = tmp_path / "current.db"
    open_db(db).conn.close()
    code = (
        "import sys\n"
        "from tui.app import SitrepApp\n"
        "SitrepApp.run = lambda self, **kwargs: None\n"
        f"sys.argv = ['sitrep', 'dashboard', '--db', {str(db)!r}]\n"
        "from tui.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
    )
    assert modules_loaded(code) == [False, False]


async def test_the_gil_switch_interval_is_back_to_usual_once_the_first_read_lands(
    fixture_path, make_app
):
    import sys

    usual = sys.getswitchinterval()
    app = make_app(fixture_path)
    assert sys.getswitchinterval() <= usual  # shorter while the start-up read runs
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert sys.getswitchinterval() == usual


def test_the_first_read_starts_before_textual_is_loaded(tmp_path):
    """`sitrep dashboard` starts reading, then imports the UI while SQLite works (here the
    command stops as soon as the read has started: Textual must not be loaded yet)."""
    db = tmp_path / "current.db"
    open_db(db).conn.close()
    code = (
        "import sys\n"
        "import tui.startup\n"
        "real = tui.startup.StartUp.__init__\n"
        "def stop_once_started(self, *args, **kwargs):\n"
        "    real(self, *args, **kwargs)\n"
        "    raise SystemExit(0)\n"
        "tui.startup.StartUp.__init__ = stop_once_started\n"
        f"sys.argv = ['sitrep', 'dashboard', '--db', {str(db)!r}]\n"
        "from tui.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
    )
    assert modules_loaded(code, ("tui.startup", "textual.app")) == [True, False]


WATCH_POOL_SCRIPT = """
import sys, threading
from pathlib import Path


class Capture:  # Textual's stderr while the app runs: no file descriptor
    def write(self, text): return len(text)
    def flush(self): pass
    def fileno(self): return -1


def main():
    db = Path(sys.argv[1])
    from tui.commands.dashboard import _watcher
    _watcher(db, None)  # what `sitrep dashboard --watch` does before the app starts
    sys.stderr = Capture()
    from core.fetch.poller import _worker_pool
    found = []
    thread = threading.Thread(target=lambda: found.append(_worker_pool(None, str(db))))
    thread.start()
    thread.join(120)
    print("pool" if found and found[0] is not None else "none", file=sys.__stdout__)
    if found and found[0] is not None:
        found[0].shutdown()


if __name__ == "__main__":
    main()
"""


def test_watch_starts_worker_processes_while_textual_holds_stderr(tmp_path):
    """A big round under `--watch` starts its workers from the watch thread while Textual
    captures stderr (fileno -1): multiprocessing's helper process must be running already,
    or the pool cannot be built and 50+ feeds are never fetched in parallel."""
    import subprocess
    import sys
    from pathlib import Path

    script = tmp_path / "watch_pool.py"
    script.write_text(WATCH_POOL_SCRIPT)
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, str(script), str(tmp_path / "x.db")],
        cwd=root,
        env={**__import__("os").environ, "PYTHONPATH": str(root)},
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.stdout.strip().splitlines()[-1:] == ["pool"], done.stdout + done.stderr
