"""The dashboard's read connection: plain sqlite3 on a current database, the store otherwise."""

from __future__ import annotations

import pytest
from conftest import modules_loaded

from core import store
from core.query.connection import STORE_MIGRATIONS, open_read
from core.query.dashboard import Reader, last_seen, mark_seen
from core.store import StoreError, open_db


def test_known_migrations_are_the_stores():
    """A migration appended to core.store must be added here too, or an old database would
    be read without it."""
    assert list(STORE_MIGRATIONS) == [m.name for m in store.migrations._migrations]


def test_fresh_path_is_created_and_migrated(tmp_path):
    path = tmp_path / "new.db"
    conn = open_read(path)
    assert conn.execute("select count(*) from articles").fetchone() == (0,)
    assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    conn.close()


def test_old_database_is_migrated_before_reading(tmp_path):
    path = tmp_path / "old.db"
    open_db(path).conn.close()
    with open_read(path) as conn:
        conn.execute("drop index idx_articles_published_covering")
        conn.execute("delete from _sqlite_migrations where name = '0004_read_indexes'")
    conn = open_read(path)
    indexes = {r[1] for r in conn.execute("PRAGMA index_list(articles)")}
    assert "idx_articles_published_covering" in indexes
    conn.close()


@pytest.mark.parametrize("content", [b"not a database at all\n" * 50, b""])
def test_a_file_that_is_not_a_database_is_a_store_error(tmp_path, content):
    path = tmp_path / "notes.db"
    path.write_bytes(content)
    if content:
        with pytest.raises(StoreError, match="not a SQLite database"):
            open_read(path)
    else:  # an empty file is a new database to SQLite
        open_read(path).close()


def test_reading_a_current_database_loads_neither_store_nor_sqlite_utils(tmp_path):
    path = tmp_path / "current.db"
    open_db(path).conn.close()
    code = (
        "from core.query.dashboard import Reader, status_info\n"
        f"Reader({str(path)!r}).run(status_info)\n"
    )
    assert modules_loaded(code) == [False, False]


def test_last_look_is_written_through_the_read_connection(tmp_path, fixture_path):
    reader = Reader(fixture_path)
    before = reader.run(last_seen)
    later = before.replace(year=before.year + 1)
    reader.run(mark_seen, later)
    reader.close()
    other = open_db(fixture_path)
    assert last_seen(other) == later
    other.conn.close()
