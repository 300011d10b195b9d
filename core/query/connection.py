"""The read path's connection: plain sqlite3, so reading never loads sqlite-utils.

Opening through `core.store.open_db` imports sqlite-utils (with dateutil, click and ctypes)
and checks the migrations table through it: tens of milliseconds before a dashboard that
only reads can draw anything. A database that is already WAL with every migration applied
is opened here directly; a fresh, old or broken one goes through `open_db` once (which creates
and migrates it, or raises StoreError with a message fit for the user), then opens here.

The query functions take anything with sqlite3's `execute` (`Db`): this connection or the
sqlite-utils `Database` the CLI holds.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

BUSY_TIMEOUT_SECONDS = 15.0  # as core.store: wait for a writer rather than fail
MIGRATION_SET = "sitrep"
# The migrations core.store defines, in order (a test keeps this list equal to the store's):
# a database missing any of them is opened through the store, which applies them.
STORE_MIGRATIONS = (
    "0001_articles",
    "0002_extraction",
    "0003_feeds_meta",
    "0004_read_indexes",
    "0005_band_simhash_indexes",
    "0006_mention_published",
    "0007_article_count",
    "0008_mention_days",
    "0009_mention_days_written",
    "0010_drop_place_published_index",
    "0011_event_date_precision",
    "0012_fts_automerge",
)


class Db(Protocol):
    """What a query needs from a connection: sqlite3's `execute`."""

    def execute(self, sql: str, parameters: Any = ..., /) -> sqlite3.Cursor: ...


def utc_iso(moment: datetime) -> str:
    """Times are stored as ISO 8601 text in UTC so they sort and compare as strings."""
    return moment.astimezone(UTC).isoformat()


def open_read(path: str | Path) -> sqlite3.Connection:
    """A connection to the migrated database at `path`, usable from any thread (one at a
    time). Autocommit: each read sees the newest commit; a write opens its own transaction.
    Raises StoreError (from core.store) for a file that cannot be a database."""
    path = Path(path)
    conn = _connect(path) if path.is_file() else None
    if conn is None or not _is_current(conn):
        if conn is not None:
            conn.close()
        from core.store import open_db  # creates, migrates or explains; loads sqlite-utils

        open_db(path).conn.close()
        conn = _connect(path)
    conn.execute("PRAGMA synchronous = NORMAL")  # as core.store: WAL needs no fsync per commit
    return conn


def _connect(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(
        str(path), check_same_thread=False, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None
    )


def _is_current(conn: sqlite3.Connection) -> bool:
    """WAL, with every store migration applied (False for anything else, even a non-database)."""
    try:
        if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            return False
        applied = conn.execute(
            "select name from _sqlite_migrations where migration_set = ?", [MIGRATION_SET]
        ).fetchall()
    except sqlite3.DatabaseError:
        return False
    return set(STORE_MIGRATIONS) <= {name for (name,) in applied}
