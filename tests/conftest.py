"""Fixtures shared by every test: a temporary database file, the CLI runner, fixture paths."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlite_utils import Database
from typer.testing import CliRunner

FIXTURES = Path(__file__).parent / "fixtures"
INGEST_FIXTURES = FIXTURES / "ingest"
REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Where a test's SQLite file goes (not created yet)."""
    return tmp_path / "sitrep.db"


@pytest.fixture
def db(db_path: Path) -> Iterator[Database]:
    """A fresh, migrated database in a real file."""
    from core.store import open_db

    database = open_db(db_path)
    yield database
    database.close()


@pytest.fixture
def runner() -> CliRunner:
    """Runs `sitrep` in-process; `result.stdout` and `result.stderr` are kept apart."""
    return CliRunner()


@pytest.fixture
def ingest_fixtures() -> Path:
    return INGEST_FIXTURES


@pytest.fixture(autouse=True)
def _no_user_database(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test ever touches the real user data, state or cache directory or a SITREP_DB from
    the shell."""
    monkeypatch.delenv("SITREP_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg-state"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
