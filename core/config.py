"""Where things live: the database, the profile and the bundled sample data."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "sitrep"
DB_ENV = "SITREP_DB"
PROFILE_ENV = "SITREP_PROFILE"


def default_db_path() -> Path:
    """`sitrep.db` in the user data directory (created if missing)."""
    folder = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    return folder / "sitrep.db"


def resolve_db_path(explicit: str | Path | None) -> tuple[Path, bool]:
    """The database to use and whether it is the embedded default (which seeds itself)."""
    if explicit:
        return Path(explicit).expanduser(), False
    if os.environ.get(DB_ENV):
        return Path(os.environ[DB_ENV]).expanduser(), False
    return default_db_path(), True


def state_dir() -> Path:
    """Logs (e.g. of `sitrep watch`) go here."""
    folder = Path(platformdirs.user_state_dir(APP_NAME, appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def sample_data_dir() -> Path:
    """The bundled sample articles: inside the wheel, or beside the source tree."""
    packaged = Path(__file__).parent / "_sample_data"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "sample_data"
