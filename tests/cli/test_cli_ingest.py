"""`sitrep ingest / search / report` through the real command line, on real database files."""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tui.cli import app

SUMMARY = re.compile(r"^ingested \d+, updated \d+, skipped \d+ duplicates, failed \d+")


def ingest(runner: CliRunner, db: Path, *paths: Path | str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["ingest", *map(str, paths), "--db", str(db), "--no-extract"])
    return result.exit_code, result.stdout, result.stderr


def summary_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert SUMMARY.match(lines[-1]), stderr
    return lines[-1]


def article_file(folder: Path, name: str, url: str, body: str, source: str = "Test") -> Path:
    path = folder / name
    data = {"url": url, "title": name, "body": body, "source": source, "published": "2020-02-01"}
    path.write_text(json.dumps(data))
    return path


@pytest.fixture
def good(tmp_path: Path) -> Path:
    folder = tmp_path / "good"
    folder.mkdir()
    article_file(folder, "a.json", "https://t.example/a", "Shelling hit Ariha on Monday night.")
    article_file(folder, "b.json", "https://t.example/b", "Aid trucks crossed at Bab al-Hawa.")
    return folder


# ---- ingest: success, partial failure, idempotence ----


def test_clean_ingest_exits_0_with_a_summary(runner: CliRunner, db_path: Path, good: Path) -> None:
    code, out, err = ingest(runner, db_path, good)
    assert code == 0 and out == ""
    assert summary_line(err) == "ingested 2, updated 0, skipped 0 duplicates, failed 0"


def test_reingest_reports_duplicates(runner: CliRunner, db_path: Path, good: Path) -> None:
    ingest(runner, db_path, good)
    code, _, err = ingest(runner, db_path, good)
    assert code == 0
    assert summary_line(err) == "ingested 0, updated 0, skipped 2 duplicates, failed 0"


def long_body(words: int) -> str:
    """Prose well over the body limit (200,000 characters): 'word0 word1 ...'."""
    return " ".join(f"word{n}" for n in range(words))


@pytest.mark.parametrize("name", ["long.json", "long.txt"])
def test_a_body_over_the_limit_is_cut_with_a_warning(
    runner: CliRunner, db_path: Path, tmp_path: Path, name: str
) -> None:
    body = long_body(40_000)
    path = tmp_path / name
    if name.endswith(".json"):
        article_file(tmp_path, name, "https://t.example/long", body)
    else:
        path.write_text(f"Long report\n\n{body}\n")
    code, _, err = ingest(runner, db_path, path)
    assert code == 0 and summary_line(err).startswith("ingested 1,")
    (warning,) = [line for line in err.splitlines() if "warning:" in line]
    assert str(path) in warning and f"{len(body):,} characters" in warning
    stored = sqlite3.connect(db_path).execute("select body from articles").fetchone()[0]
    assert len(stored) == 200_000 and body.startswith(stored)
    _, _, again = ingest(runner, db_path, path)  # the cut copy is the stored one: unchanged
    assert summary_line(again) == "ingested 0, updated 0, skipped 1 duplicates, failed 0"


def test_a_body_within_the_limit_brings_no_warning(
    runner: CliRunner, db_path: Path, tmp_path: Path
) -> None:
    path = article_file(tmp_path, "short.json", "https://t.example/short", long_body(1_000))
    _, _, err = ingest(runner, db_path, path)
    assert "warning" not in err


def test_partial_failure_exits_1_and_names_each_failure(
    runner: CliRunner, db_path: Path, ingest_fixtures: Path
) -> None:
    code, out, err = ingest(runner, db_path, ingest_fixtures)
    assert code == 1 and out == ""
    assert re.search(r"^sitrep: \S*not_an_article\.txt: not an article", err, re.M)
    assert re.search(r"^sitrep: \S*bulletins\.jsonl:2: invalid JSON", err, re.M)
    assert re.search(r"^sitrep: \S*bulletins\.jsonl:5: field published", err, re.M)
    assert re.search(r"^sitrep: \S*articles\.json: item 3: field url", err, re.M)
    line = summary_line(err)
    assert line.startswith("ingested 16, updated 0, skipped 0 duplicates, failed 5")
    assert "added 2 feeds" in line
    assert "Traceback" not in err


def test_missing_path_fails_alone(runner: CliRunner, db_path: Path, good: Path) -> None:
    missing = good.parent / "nope.txt"
    code, _, err = ingest(runner, db_path, missing, good)
    assert code == 1
    assert f"sitrep: {missing}: no such file or directory" in err
    assert summary_line(err).startswith("ingested 2,")


def test_all_paths_missing_exits_2(runner: CliRunner, db_path: Path, tmp_path: Path) -> None:
    code, _, err = ingest(runner, db_path, tmp_path / "a.txt", tmp_path / "b.json")
    assert code == 2
    assert err.count("no such file or directory") == 2


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        ("cut.json", b'{"url": "https://t.example/c", "title": "Cut', "invalid JSON at line 1"),
        ("list.json", b"[1, 2, 3]", "item 1: not an article object"),
        ("notes.txt", b"todo\nbuy bread\ncall home\n", "not an article"),
        ("feed.xml", b"<html><body>Log in</body></html>", "HTML page, not a feed"),
        ("feeds.opml", b"<opml><head/></opml>", "not an OPML document"),
    ],
)
def test_bad_file_is_named_with_its_reason(
    runner: CliRunner, db_path: Path, good: Path, name: str, data: bytes, reason: str
) -> None:
    bad = good / name
    bad.write_bytes(data)
    code, _, err = ingest(runner, db_path, good)
    assert code == 1
    assert f"sitrep: {bad}" in err and reason in err
    assert summary_line(err).startswith("ingested 2,")
    assert "Traceback" not in err


def test_legacy_encoded_file_lands_with_a_warning(
    runner: CliRunner, db_path: Path, tmp_path: Path
) -> None:
    path = tmp_path / "old.txt"
    text = "Café reopens in Ariha\n\nThe café owner said “we stay” despite the shelling nearby.\n"
    path.write_bytes(text.encode("cp1252"))
    code, _, err = ingest(runner, db_path, path)
    assert code == 0
    assert f"sitrep: warning: {path}: not UTF-8: read as cp1252" in err
    result = runner.invoke(app, ["search", "café", "--db", str(db_path), "--json"])
    [hit] = json.loads(result.stdout)
    assert hit["title"] == "Café reopens in Ariha"


def test_opml_adds_feeds(runner: CliRunner, db_path: Path, ingest_fixtures: Path) -> None:
    code, _, err = ingest(runner, db_path, ingest_fixtures / "feeds.opml")
    assert code == 0
    assert "file:///etc/passwd" in err  # the non-web outline is named, not added
    assert summary_line(err).endswith("added 2 feeds")


# ---- the database itself is bad ----


def test_text_file_as_db_is_refused_untouched(
    runner: CliRunner, tmp_path: Path, good: Path
) -> None:
    notes = tmp_path / "notes.txt"
    original = b"my notes\nnot a database at all, please keep me\n" * 20
    notes.write_bytes(original)
    code, _, err = ingest(runner, notes, good)
    assert code == 2
    assert f"sitrep: {notes}: not a SQLite database" in err
    assert notes.read_bytes() == original
    assert sorted(p.name for p in tmp_path.iterdir()) == ["good", "notes.txt"]  # no -wal/-shm


def test_db_in_missing_folder_exits_2_creating_nothing(
    runner: CliRunner, tmp_path: Path, good: Path
) -> None:
    target = tmp_path / "nowhere" / "sitrep.db"
    code, _, err = ingest(runner, target, good)
    assert code == 2 and "does not exist" in err
    assert not target.parent.exists()


def test_db_that_is_a_folder_exits_2(runner: CliRunner, tmp_path: Path, good: Path) -> None:
    code, _, err = ingest(runner, good, good)
    assert code == 2 and "is a directory" in err


def _existing_db(runner: CliRunner, db_path: Path, good: Path) -> bytes:
    ingest(runner, db_path, good / "a.json")
    connection = sqlite3.connect(db_path)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    return db_path.read_bytes()


def test_read_only_database_exits_2_untouched(
    runner: CliRunner, db_path: Path, good: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite opens a file it may not write read-only; mode=ro does exactly that (even as root)."""
    before = _existing_db(runner, db_path, good)
    connect = sqlite3.connect
    monkeypatch.setattr(
        sqlite3, "connect", lambda path, **kw: connect(f"file:{path}?mode=ro", uri=True, **kw)
    )
    code, _, err = ingest(runner, db_path, good)
    assert code == 2
    assert f"sitrep: {db_path}: the database is read-only" in err
    assert db_path.read_bytes() == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes read-only files anyway")
def test_read_only_file_permissions(runner: CliRunner, db_path: Path, good: Path) -> None:
    before = _existing_db(runner, db_path, good)
    db_path.chmod(0o444)
    code, _, err = ingest(runner, db_path, good)
    assert code == 2 and "read-only" in err
    assert db_path.read_bytes() == before


def test_no_traceback_from_the_real_executable(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("not a database\n" * 10)
    binary = tmp_path / "x.txt"
    binary.write_bytes(b"\x00\x01\x02")
    for args in (["--db", str(notes), str(binary)], ["--db", str(tmp_path / "ok.db"), str(binary)]):
        result = subprocess.run(
            [sys.executable, "-m", "tui", "ingest", "--no-extract", *args],
            capture_output=True,
            text=True,
            cwd=Path(__file__).resolve().parents[2],
        )
        assert result.returncode == 2
        assert "Traceback" not in result.stderr and result.stderr.startswith("sitrep: ")


# ---- near-duplicates, search and report ----

STORY = (
    "Government forces entered the town on Wednesday after encircling it for several days, "
    "and by Thursday the army said it had cleared the last pockets of resistance while rebels "
    "said they had pulled back to villages to the west of the crossroads town."
)


def test_syndicated_story_shows_once_in_the_report(
    runner: CliRunner, db_path: Path, tmp_path: Path
) -> None:
    article_file(tmp_path, "wire.json", "https://wire.example/1", STORY, "Wire")
    copy = STORY.replace(",", "").replace("Wednesday", "WEDNESDAY")  # re-punctuated by an editor
    article_file(tmp_path, "paper.json", "https://paper.example/9", copy, "Paper")
    code, _, err = ingest(runner, db_path, tmp_path / "wire.json", tmp_path / "paper.json")
    assert code == 0 and "grouped 1 near-duplicates" in err
    report = json.loads(runner.invoke(app, ["report", "--db", str(db_path), "--json"]).stdout)
    [headline] = report["headlines"]
    assert (headline["url"], headline["also_sources"]) == ("https://wire.example/1", ["Paper"])


def test_search_json_and_plain(runner: CliRunner, db_path: Path, good: Path) -> None:
    ingest(runner, db_path, good)
    result = runner.invoke(app, ["search", "Ariha", "--db", str(db_path), "--json"])
    assert result.exit_code == 0
    [hit] = json.loads(result.stdout)
    assert {"url", "title", "source", "published", "snippet"} <= set(hit)
    assert hit["url"] == "https://t.example/a" and "[Ariha]" in hit["snippet"]
    plain = runner.invoke(app, ["search", "Ariha", "--db", str(db_path)])
    assert "https://t.example/a" in plain.stdout and "\x1b" not in plain.stdout


@pytest.mark.parametrize("query", ['"unbalanced', "C++", "NEAR(", "*", ""])
def test_hostile_search_never_fails(
    runner: CliRunner, db_path: Path, good: Path, query: str
) -> None:
    ingest(runner, db_path, good)
    result = runner.invoke(app, ["search", query, "--db", str(db_path), "--json"])
    assert result.exit_code == 0 and isinstance(json.loads(result.stdout), list)


def test_report_json_keys_and_counts(runner: CliRunner, db_path: Path, good: Path) -> None:
    ingest(runner, db_path, good)
    result = runner.invoke(app, ["report", "--db", str(db_path), "--json"])
    report = json.loads(result.stdout)
    keys = {"articles", "sources", "latest", "earliest", "headlines"}
    assert keys | {"places", "actors", "figures", "events"} <= set(report)
    assert report["articles"] == 2
    assert report["sources"] == [{"source": "Test", "articles": 2}]
    assert report["latest"].startswith("2020-02-01")


def test_plain_report_without_a_terminal(runner: CliRunner, db_path: Path, good: Path) -> None:
    ingest(runner, db_path, good)
    result = runner.invoke(app, ["report", "--db", str(db_path)])
    assert result.exit_code == 0
    assert "2 articles from 1 sources, 2020-02-01 to 2020-02-01" in result.stdout
    assert "Latest headlines" in result.stdout and "a.json" in result.stdout
    assert "\x1b" not in result.stdout


def test_report_since(runner: CliRunner, db_path: Path, good: Path) -> None:
    ingest(runner, db_path, good)
    later = runner.invoke(app, ["report", "--db", str(db_path), "--since", "2020-03-01", "--json"])
    assert json.loads(later.stdout)["headlines"] == []
    bad = runner.invoke(app, ["report", "--db", str(db_path), "--since", "whenever-ish"])
    assert bad.exit_code == 2 and "--since" in bad.stderr


def test_sample_data_through_the_cli(runner: CliRunner, db_path: Path, tmp_path: Path) -> None:
    from core.config import sample_data_dir

    samples = tmp_path / "samples"
    shutil.copytree(sample_data_dir(), samples)
    code, _, err = ingest(runner, db_path, samples)
    assert code == 0, err
    assert int(summary_line(err).split()[1].rstrip(",")) >= 40


def test_hostile_file_name_cannot_reach_the_terminal(
    runner: CliRunner, db_path: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "evil\x1b]0;owned\x07\x1b[2J.txt"
    bad.write_bytes(b"\x00binary")
    code, _, err = ingest(runner, db_path, bad)
    assert code == 2
    assert "\x1b" not in err and "\x07" not in err
    assert "evil" in err and "binary file" in err


def test_default_database_seeds_itself_once(runner: CliRunner) -> None:
    """No --db and no SITREP_DB: the user-data database (a tmp dir here) seeds from samples."""
    first = runner.invoke(app, ["report", "--json"])
    assert first.exit_code == 0, first.stderr
    assert "seeded it with" in first.stderr
    assert json.loads(first.stdout)["articles"] >= 40
    second = runner.invoke(app, ["report", "--json"])
    assert "seeded" not in second.stderr
    assert json.loads(second.stdout)["articles"] == json.loads(first.stdout)["articles"]
