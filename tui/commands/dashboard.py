"""`sitrep dashboard [--watch] [--no-mouse]` (and plain `sitrep`): open the dashboard."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from sqlite_utils import Database

from core.config import resolve_db_path
from core.profile import Profile
from core.store import StoreError
from tui.commands.common import DbOption, ProfileOption, fail, open_store

WatchOption = Annotated[
    bool,
    typer.Option("--watch", help="Also poll the feeds in-process while the dashboard is open."),
]
NoMouseOption = Annotated[
    bool, typer.Option("--no-mouse", help="Leave mouse tracking off (keyboard only).")
]


def register(app: typer.Typer) -> None:
    app.command("dashboard")(dashboard)


def dashboard(
    db: DbOption = None,
    profile: ProfileOption = None,
    watch: WatchOption = False,
    no_mouse: NoMouseOption = False,
) -> None:
    """Open the dashboard: headlines, tracked places, actors and figures, live."""
    from tui.app import SitrepApp

    path, is_default = resolve_db_path(db)
    database = open_store(db, seed=False)
    notice = _seed(database) if is_default else None
    database.conn.close()
    loaded = _load_profile(profile)
    watcher = _watcher(path, profile) if watch else None
    try:
        app = SitrepApp(path, profile=loaded, notice=notice, watch=watcher)
    except StoreError as exc:
        fail(str(exc))
    app.run(mouse=not no_mouse)


def _seed(database: Database) -> str | None:
    """Fill a fresh default database from sample_data/ and say so (None: nothing done)."""
    try:
        from core.ingest.seed import seed_if_empty
    except ImportError:  # ingest not built yet
        return None
    seeded = seed_if_empty(database)
    if not seeded:
        return None
    return f"New database: seeded it with {seeded} sample articles from sample_data/."


def _load_profile(path: Path | None) -> Profile | None:
    try:
        from core.profile import load_profile  # type: ignore[attr-defined]
    except ImportError:  # profile loading not built yet: track the most mentioned places
        return None
    try:
        return load_profile(path)  # type: ignore[no-any-return]
    except (OSError, ValueError) as exc:
        fail(f"{path or 'profile'}: {exc}")


def _watcher(db_path: Path, profile: Path | None) -> Callable[[], object] | None:
    try:
        from core.fetch.watch import run_watch  # type: ignore[import-not-found]
    except ImportError:
        fail("--watch: feed watching is not available in this build")

    def run() -> object:
        return run_watch(db_path)

    return run
