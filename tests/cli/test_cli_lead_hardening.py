"""Hostile cases in the lead's files: messages, extract's input, search terms, odd rows."""

from __future__ import annotations

import os
from pathlib import Path

from sqlite_utils import Database
from typer.testing import CliRunner

from core.query import headlines
from core.query.fts import MAX_TERMS, build_match
from tui.cli import app


def test_error_lines_never_carry_escape_sequences(tmp_path: Path) -> None:
    hostile = tmp_path / "nope\x1b]52;c;SGVsbG8=\x07" / "x.db"
    result = CliRunner().invoke(app, ["places", "--db", str(hostile)])
    assert result.exit_code == 2
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "does not exist" in result.stderr


def test_extract_refuses_a_fifo_instead_of_hanging(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    result = CliRunner().invoke(app, ["extract", str(fifo)])
    assert result.exit_code == 2
    assert "not a regular file" in result.stderr


def test_search_terms_are_deduplicated_and_capped() -> None:
    assert build_match("a* a* a* b") == '"a"* "b"'
    many = " ".join(f"w{i}" for i in range(500))
    match = build_match(many)
    assert match is not None and match.count('"') == 2 * MAX_TERMS


def test_headlines_survive_a_row_without_fetched_time(db: Database) -> None:
    db.execute(
        "insert into articles (url, title, body, source, published) values (?, ?, ?, ?, ?)",
        ["https://x.example/1", "Written by another tool", "Body", "x", None],
    )
    db.conn.commit()
    assert [h.title for h in headlines(db)] == ["Written by another tool"]
