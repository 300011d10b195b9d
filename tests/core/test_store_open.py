"""open_db: WAL, migrations once, and every unusable file refused without touching it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from core.models import Article
from core.store import StoreError, open_db, write_batch


def test_new_database_is_wal_with_every_table(db_path: Path) -> None:
    db = open_db(db_path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    tables = set(db.table_names())
    assert {"articles", "articles_fts", "place_mentions", "figures", "feeds", "meta"} <= tables


def test_reopening_keeps_data_and_does_not_migrate_again(db_path: Path) -> None:
    db = open_db(db_path)
    write_batch(db, [(Article(url="https://x.example/1", title="t", body="b"), None)])
    first = db.execute("select name, applied_at from _sqlite_migrations").fetchall()
    db.close()
    again = open_db(db_path)
    assert again.execute("select count(*) from articles").fetchone()[0] == 1
    assert again.execute("select name, applied_at from _sqlite_migrations").fetchall() == first


@pytest.mark.parametrize(
    "content",
    [b"plain text notes\n" * 50, b"SQLite format 3\x00" + b"\xff" * 200, b"\x89PNG\r\n" * 30],
)
def test_non_database_file_is_refused_untouched(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(content)
    with pytest.raises(StoreError, match="not a SQLite database"):
        open_db(path)
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.db"]


def test_directory_and_missing_folder_are_refused(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="is a directory"):
        open_db(tmp_path)
    with pytest.raises(StoreError, match="does not exist"):
        open_db(tmp_path / "missing" / "x.db")
    assert not (tmp_path / "missing").exists()


def test_write_to_read_only_database_is_a_store_error(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_db(db_path).close()
    connect = sqlite3.connect
    monkeypatch.setattr(
        sqlite3, "connect", lambda path, **kw: connect(f"file:{path}?mode=ro", uri=True, **kw)
    )
    db = open_db(db_path)
    with pytest.raises(StoreError, match="read-only"):
        write_batch(db, [(Article(url="https://x.example/1", title="t", body="b"), None)])


def test_a_device_or_pipe_is_refused_without_writing_beside_it(tmp_path: Path) -> None:
    """`--db /dev/null` once left a /dev/null-journal behind; a pipe gave "disk I/O error"."""
    import os

    pipe = tmp_path / "pipe.db"
    os.mkfifo(pipe)
    for path in (pipe, Path("/dev/null")):
        with pytest.raises(StoreError, match="not a regular file"):
            open_db(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe.db"]
    assert not Path("/dev/null-journal").exists()
