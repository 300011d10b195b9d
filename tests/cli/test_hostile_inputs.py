"""Hostile and odd local inputs through the real command line: what a new user or an attacker
hands `sitrep ingest`, `search`, `report` and `feeds import`.

Each case ends with one clear line, the right exit status, no traceback, nothing lost, and no
escape sequence written to the terminal.
"""

from __future__ import annotations

import json
import os
import pty
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tui.cli import app

ESC = "\x1b"
OSC52 = f"{ESC}]52;c;aGVsbG8=\x07"  # "write 'hello' to the clipboard"
ARTICLE = "A title line\n\nThe body of the article talks about Saraqeb and Ariha today.\n"


def run(runner: CliRunner, *args: str | Path):
    return runner.invoke(app, [str(a) for a in args])


def on_terminal(*args: str | Path, env: dict[str, str] | None = None) -> tuple[int, str]:
    """Run `sitrep` with stdout and stderr on a pseudo-terminal (rich output); all it wrote."""
    leader, follower = pty.openpty()
    command = [sys.executable, "-m", "tui", *map(str, args)]
    child = subprocess.Popen(
        command, stdout=follower, stderr=follower, stdin=subprocess.DEVNULL, env=env
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    return child.wait(timeout=60), b"".join(chunks).decode("utf-8", "replace")


def terminal_env(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "XDG_DATA_HOME": str(tmp_path / "xdg-data"),
        "COLUMNS": "200",
        "TERM": "xterm",
    }


def without_styles(text: str) -> str:
    """Output minus the SGR colour codes rich itself writes ("ESC [ ... m")."""
    import re

    return re.sub(r"\x1b\[[0-9;]*m", "", text)


# ---- files ----


def test_utf16_without_bom_is_read_as_text(runner: CliRunner, db_path: Path, tmp_path: Path):
    for codec in ("utf-16-le", "utf-16-be"):
        (tmp_path / f"{codec}.txt").write_bytes(ARTICLE.replace("A title", codec).encode(codec))
    result = run(runner, "ingest", tmp_path, "--db", db_path, "--no-extract")
    assert result.exit_code == 0, result.stderr
    assert "no byte-order mark: read as UTF-16-LE" in result.stderr
    titles = {row[0] for row in sqlite3.connect(db_path).execute("select title from articles")}
    assert titles == {"utf-16-le line", "utf-16-be line"}


def test_binary_with_nul_bytes_is_still_refused(runner: CliRunner, db_path: Path, tmp_path: Path):
    (tmp_path / "blob.txt").write_bytes(bytes(range(256)) * 20)
    result = run(runner, "ingest", tmp_path / "blob.txt", "--db", db_path, "--no-extract")
    assert result.exit_code == 2
    assert "blob.txt: binary file" in result.stderr


def test_an_xhtml_page_saved_as_xml_is_named_as_a_page(
    runner: CliRunner, db_path: Path, tmp_path: Path
):
    page = tmp_path / "page.xml"
    page.write_text(
        '<?xml version="1.0"?><!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
        '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">'
        '<html xmlns="http://www.w3.org/1999/xhtml"><body><p>hello</p></body></html>'
    )
    result = run(runner, "ingest", page, "--db", db_path, "--no-extract")
    assert result.exit_code == 2
    assert "page.xml: an HTML page, not a feed" in result.stderr
    assert "returned" not in result.stderr


def test_an_empty_folder_is_noted(runner: CliRunner, db_path: Path, tmp_path: Path):
    (tmp_path / "foo.json").mkdir()
    result = run(runner, "ingest", tmp_path / "foo.json", "--db", db_path, "--no-extract")
    assert result.exit_code == 0
    assert "foo.json: no files in this folder" in result.stderr


def test_a_fifo_in_a_folder_or_named_never_blocks(runner: CliRunner, db_path: Path, tmp_path: Path):
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "real.txt").write_text(ARTICLE)
    folder = run(runner, "ingest", tmp_path, "--db", db_path, "--no-extract")
    assert folder.exit_code == 0 and "ingested 1," in folder.stderr
    named = run(runner, "ingest", tmp_path / "pipe.txt", "--db", db_path, "--no-extract")
    assert named.exit_code == 2 and "pipe.txt: not a regular file" in named.stderr


def test_feeds_import_of_a_fifo_fails_at_once(tmp_path: Path):
    """A named pipe would block a read forever (no writer): it must be refused unread."""
    os.mkfifo(tmp_path / "feeds.opml")
    result = subprocess.run(
        [sys.executable, "-m", "tui", "feeds", "import", str(tmp_path / "feeds.opml")],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "SITREP_DB": str(tmp_path / "t.db")},
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.strip().endswith("feeds.opml: not a regular file")


def test_a_file_name_with_escapes_never_reaches_the_terminal(
    runner: CliRunner, db_path: Path, tmp_path: Path
):
    hostile = tmp_path / f"evil{OSC52}name.json"
    hostile.write_text("{ not json")
    result = run(runner, "ingest", hostile, "--db", db_path, "--no-extract")
    assert result.exit_code == 2
    assert ESC not in result.stderr and "\x07" not in result.stderr
    assert "evilname.json: invalid JSON" in result.stderr  # the whole sequence is dropped


# ---- Ctrl-C ----


def test_ctrl_c_keeps_committed_batches_and_says_so(
    runner: CliRunner, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """Ctrl-C on the 700th article: the first batch (500) stays, the second rolls back."""
    lines = [
        json.dumps({"url": f"https://t.example/{n}", "title": f"T{n}", "body": "Body text here."})
        for n in range(1_200)
    ]
    (tmp_path / "many.jsonl").write_text("\n".join(lines) + "\n")
    seen = []

    def interrupting_extractor(_profile):
        def extract(article):
            seen.append(article.url)
            if len(seen) == 700:
                raise KeyboardInterrupt
            from core.models import Extraction

            return Extraction()

        return extract

    monkeypatch.setattr("tui.commands.ingest._extractor", interrupting_extractor)
    result = run(runner, "ingest", tmp_path / "many.jsonl", "--db", db_path)
    assert result.exit_code == 130
    assert "Traceback" not in result.stderr
    assert "interrupted: what is counted below was stored" in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("ingested 500,")
    connection = sqlite3.connect(db_path)
    assert connection.execute("select count(*) from articles").fetchone()[0] == 500
    assert connection.execute("pragma integrity_check").fetchone()[0] == "ok"


# ---- search and report output ----


def hostile_row(db_path: Path) -> None:
    """A row as another tool (or an older sitrep) might have written it: not cleaned."""
    from core.store import open_db

    open_db(db_path).close()
    connection = sqlite3.connect(db_path)
    connection.execute(
        "insert into articles (url, title, body, source, published, fetched, content_hash)"
        " values (?, ?, ?, ?, ?, ?, ?)",
        (
            f"https://t.example/{ESC}[2J",
            f"Saraqeb {ESC}[31mred{ESC}[0m [/] [@click=app.quit]x[/] {OSC52}",
            f"Saraqeb body {ESC}]8;;https://evil.example/{ESC}\\link{ESC}]8;;{ESC}\\ here",
            f"Wire {ESC}[5mblink \u202eevil",
            "2020-02-01T00:00:00+00:00",
            "2020-02-01T01:00:00+00:00",
            "0" * 16,
        ),
    )
    connection.commit()
    connection.close()


def test_plain_search_output_has_no_escapes_even_from_a_dirty_database(
    runner: CliRunner, db_path: Path
):
    hostile_row(db_path)
    result = run(runner, "search", "Saraqeb", "--db", db_path)
    assert result.exit_code == 0
    assert "Saraqeb" in result.stdout
    assert ESC not in result.stdout and "\x07" not in result.stdout
    assert "\u202e" not in result.stdout


def test_search_on_a_terminal_shows_markup_literally(db_path: Path, tmp_path: Path):
    """A query or title that looks like rich markup is text: no MarkupError, nothing eaten."""
    hostile_row(db_path)
    env = terminal_env(tmp_path)
    for query in ("[/]", "Saraqeb [bold]", "[@click=app.quit]x[/]"):
        code, output = on_terminal("search", query, "--db", db_path, env=env)
        assert code == 0, output
        assert "Traceback" not in output and "MarkupError" not in output
    code, output = on_terminal("search", "Saraqeb", "--db", db_path, env=env)
    assert code == 0 and "[@click=app.quit]x[/]" in output
    text = without_styles(output)
    assert ESC not in text and "\x07" not in text and "\u202e" not in text


def test_report_on_a_terminal_has_no_escapes_from_a_dirty_database(db_path: Path, tmp_path: Path):
    hostile_row(db_path)
    code, output = on_terminal("report", "--db", db_path, env=terminal_env(tmp_path))
    assert code == 0, output
    text = without_styles(output)
    assert "Wire blink evil" in text
    assert ESC not in text and "\x07" not in text and "\u202e" not in text


def test_a_long_query_is_cut_in_the_error_line(runner: CliRunner, db_path: Path):
    result = run(runner, "search", "x" * 10_000, "--db", db_path)
    assert result.exit_code == 0
    line = result.stderr.strip()
    assert len(line) < 200 and "(10,000 characters)" in line


@pytest.mark.parametrize(
    "query", ['"', "*", "NEAR(", "a OR", "-", "^", "!!!", "سراقب", "🔥", "x" * 10_000, "AND OR"]
)
def test_queries_from_hell_never_fail(runner: CliRunner, db_path: Path, query: str):
    result = run(runner, "search", query, "--db", db_path, "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == []


# ---- JSON that parses badly or not at all ----


def line(url: str, **fields: object) -> str:
    return json.dumps({"url": url, "title": "T", "body": "Body text here.", **fields})


def test_one_hostile_jsonl_line_never_ends_the_file(
    runner: CliRunner, db_path: Path, tmp_path: Path
):
    """Deep nesting, a 5,000-digit number, a date past year 9999 in UTC: each is one error
    naming its line; every good line after it still lands (before: the rest was lost)."""
    lines = [
        line("https://t.example/1"),
        "[" * 100_000 + "]" * 100_000,
        line("https://t.example/2"),
        '{"url": "https://t.example/x", "n": ' + "9" * 5_000 + "}",
        line("https://t.example/3"),
        line("https://t.example/y", published="9999-12-31T23:59:59-14:00"),
        line("https://t.example/4"),
    ]
    (tmp_path / "mixed.jsonl").write_text("\n".join(lines) + "\n")
    result = run(runner, "ingest", tmp_path / "mixed.jsonl", "--db", db_path, "--no-extract")
    assert result.exit_code == 1
    assert "mixed.jsonl:2: unreadable JSON (nested too deeply)" in result.stderr
    assert "mixed.jsonl:4: unreadable JSON (a number too long to read)" in result.stderr
    assert "mixed.jsonl:6: field published: out of range" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("ingested 4,")


def test_deeply_nested_json_file_is_one_clear_failure(
    runner: CliRunner, db_path: Path, tmp_path: Path
):
    (tmp_path / "deep.json").write_text("[" * 100_000 + "]" * 100_000)
    result = run(runner, "ingest", tmp_path / "deep.json", "--db", db_path, "--no-extract")
    assert result.exit_code == 2
    assert "deep.json: unreadable JSON (nested too deeply)" in result.stderr


def test_overlong_urls_are_refused_not_cut_into_one(
    runner: CliRunner, db_path: Path, tmp_path: Path
):
    """Two URLs sharing their first 4,096 characters must not become one article."""
    stem = "https://t.example/" + "a" * 5_000
    (tmp_path / "long.jsonl").write_text(f"{line(stem + '1')}\n{line(stem + '2')}\n")
    result = run(runner, "ingest", tmp_path / "long.jsonl", "--db", db_path, "--no-extract")
    assert result.exit_code == 2
    assert result.stderr.count("field url: longer than 4096 characters") == 2
    assert "updated 0" in result.stderr


def test_nan_in_an_article_object_never_reaches_json_output(
    runner: CliRunner, db_path: Path, tmp_path: Path
):
    (tmp_path / "nan.json").write_text(
        '{"url": "https://t.example/n", "title": "Saraqeb", "body": "Body.", "score": NaN}'
    )
    assert (
        run(runner, "ingest", tmp_path / "nan.json", "--db", db_path, "--no-extract").exit_code == 0
    )
    extra = sqlite3.connect(db_path).execute("select extra from articles").fetchone()[0]
    assert json.loads(extra) == {"score": None}
    assert "NaN" not in extra


@pytest.mark.parametrize(
    "args",
    [
        ["search", "x", "-n", "99999999999999999999"],
        ["search", "x", "-n", "0"],
        ["search", "x", "-n", "-5"],
        ["feeds", "add", "http://example.org/f", "--interval", "99999999999999999999"],
        ["watch", "--interval", "0"],
        ["watch", "--interval", "1e300"],  # an OverflowError in the sleep once a feed was ok
        ["watch", "--interval", "nan"],
    ],
)
def test_out_of_range_numbers_are_usage_errors(runner: CliRunner, db_path: Path, args: list[str]):
    result = run(runner, *args, "--db", db_path)
    assert result.exit_code == 2
    assert "Invalid value" in result.stderr and "Traceback" not in result.stderr
    assert not isinstance(result.exception, OverflowError)


def test_a_query_of_thousands_of_terms_is_refused_at_once(runner: CliRunner, db_path: Path):
    """`a* a* a* ...` 3,000 times kept SQLite busy for minutes on 30,000 articles."""
    result = run(runner, "search", "a* " * 3_000, "--db", db_path)
    assert result.exit_code == 2
    assert "3,000 words or phrases in the query; at most 32" in result.stderr
    ok = run(runner, "search", '"air strike" Saraqeb* ' + "w " * 29, "--db", db_path)
    assert ok.exit_code == 0
