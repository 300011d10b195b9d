"""`sitrep dashboard [--watch] [--no-mouse]` (and plain `sitrep`): open the dashboard.

`open_dashboard` is the command itself and loads no typer: tui.cli calls it directly for
the usual argument lists, and `register` wraps it as the typer command for the rest (help,
bad options) and for `tui.cli.app`.
"""

import contextlib
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from core.config import PROFILE_ENV, resolve_db_path
from core.models import utcnow
from core.profile import Profile
from core.query.articles import count_articles
from core.query.dashboard import Reader
from tui.commands.common import fail, open_store, warn
from tui.startup import StartUp


def register(app: Any) -> None:
    """The typer command `dashboard` (its options' help is what `--help` prints)."""
    from typing import Annotated

    import typer

    from tui.commands.common import DbOption, ProfileOption

    watch_help = "Also poll the feeds in-process while the dashboard is open."
    WatchOption = Annotated[bool, typer.Option("--watch", help=watch_help)]
    NoMouseOption = Annotated[
        bool, typer.Option("--no-mouse", help="Leave mouse tracking off (keyboard only).")
    ]

    def dashboard(
        db: DbOption = None,
        profile: ProfileOption = None,
        watch: WatchOption = False,
        no_mouse: NoMouseOption = False,
    ) -> None:
        """Open the dashboard: headlines, tracked places, actors and figures, live."""
        open_dashboard(db, profile, watch=watch, no_mouse=no_mouse)

    app.command("dashboard")(dashboard)


def open_dashboard(
    db: Path | None = None,
    profile: Path | None = None,
    *,
    watch: bool = False,
    no_mouse: bool = False,
) -> None:
    """Open the database (seeding a fresh default one), then start the first read: the
    queries that need no profile begin while the profile loads."""
    path, is_default = resolve_db_path(db)
    reader = _open_reader(path)
    notice = _seed() if is_default and not reader.run(count_articles) else None
    try:
        start = StartUp(path, profile=lambda: _load_profile(profile), clock=utcnow, reader=reader)
    except Exception as exc:
        _fail_on_store_error(exc)
        raise
    watcher = _watcher(path, start.profile) if watch else None
    from tui.app import SitrepApp  # Textual loads while the first read runs

    app = SitrepApp(path, profile=start.profile, notice=notice, watch=watcher, start=start)
    app.run(mouse=not no_mouse)


def _open_reader(path: Path) -> Reader:
    """The panes' connection (creating or migrating the database when needed).

    A current database is read without loading the store's writer (sqlite-utils); a
    file that cannot be a database exits here, with one line naming it, before anything
    else is said."""
    try:
        return Reader(path)
    except Exception as exc:
        _fail_on_store_error(exc)
        raise


def _fail_on_store_error(exc: Exception) -> None:
    from core.store import StoreError  # loaded already when the store raised it

    if isinstance(exc, StoreError):
        fail(str(exc))


def _seed() -> str | None:
    """Fill the fresh default database from sample_data/ and say so (None: nothing done)."""
    try:
        from core.ingest.seed import seed_if_empty
    except ImportError:  # ingest not built yet
        return None
    database = open_store(None, seed=False)
    try:
        seeded = seed_if_empty(database)
    finally:
        database.conn.close()
    if not seeded:
        return None
    return f"New database: seeded it with {seeded} sample articles from sample_data/."


def _load_profile(path: Path | None) -> Profile | None:
    from core.profile import ProfileError, load_profile

    try:
        return load_profile(path)
    except ProfileError as exc:
        if path is not None or os.environ.get(PROFILE_ENV):
            fail(str(exc))
        warn(f"{exc}; tracking the most mentioned places instead")
        return None


def _watcher(db_path: Path, profile: Profile | None) -> Callable[[threading.Event], object]:
    """The FETCH watcher, run in-process on a worker thread until the app stops it."""
    try:
        from core.fetch.watch import run_watch
    except ImportError:
        fail("--watch: feed watching is not available in this build")

    def run(stop: threading.Event) -> object:
        return run_watch(db_path, stop_event=stop, profile=profile)

    _start_resource_tracker()
    return run


def _start_resource_tracker() -> None:
    """multiprocessing's resource tracker, started now, while stderr is the terminal's.

    A big round's worker processes start from the watch thread, and the first start of
    multiprocessing's helper process hands it this process's stderr; under Textual stderr
    is a capture whose fileno() is -1, so every round of 50+ feeds failed ('bad value(s) in
    fds_to_keep') and nothing was ever fetched."""
    from multiprocessing import resource_tracker

    with contextlib.suppress(Exception):  # no tracker: big rounds run in-process instead
        resource_tracker.ensure_running()
