"""Fixtures of the fetch tests: a local HTTP server, a database file, short limits."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fetch_helpers import LocalServer
from sqlite_utils import Database

from core.fetch.settings import FetchSettings
from core.store import open_db


@pytest.fixture
def server() -> Iterator[LocalServer]:
    local = LocalServer()
    local.thread.start()
    yield local
    local.httpd.shutdown()
    local.httpd.server_close()


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_db(tmp_path / "t.db")
    yield database
    database.close()


@pytest.fixture
def settings() -> FetchSettings:
    """Short limits so that no test waits on a real timeout longer than a couple of seconds."""
    return FetchSettings(
        connect_timeout=2.0,
        read_timeout=2.0,
        total_deadline=3.0,
        feed_max_bytes=200_000,
        page_max_bytes=200_000,
    )
