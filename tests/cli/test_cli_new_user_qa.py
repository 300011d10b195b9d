"""What a new user tried on a fresh checkout and saw break: each case must end with one clear
line naming the input, the contract's exit status and no traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from tui.cli import app, with_default_command

ARTICLE = "A title line\n\nThe body of the article talks about Saraqeb and Ariha today.\n"


def run(*args: str | Path):
    return CliRunner().invoke(app, [str(a) for a in args])


def test_feeds_add_of_a_malformed_ipv6_url_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    result = run("feeds", "add", "http://[::1", "--db", db)
    assert result.exit_code == 2
    assert "http://[::1: not a valid URL" in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)
    listed = run("feeds", "list", "--json", "--db", db)
    assert json.loads(listed.stdout) == []


def test_fetch_feed_with_a_malformed_url_names_it(tmp_path: Path) -> None:
    result = run("fetch", "--feed", "https://[bad/feed", "--db", tmp_path / "x.db")
    assert result.exit_code == 2
    assert "https://[bad/feed: not a valid URL" in result.stderr


def test_eval_refuses_a_fifo_instead_of_hanging(tmp_path: Path) -> None:
    fifo = tmp_path / "gold.jsonl"
    os.mkfifo(fifo)
    result = run("eval", fifo)
    assert result.exit_code == 2
    assert f"{fifo}: not a regular file" in result.stderr


def test_eval_of_an_empty_file_is_an_error_not_a_perfect_score(tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text("\n  \n", encoding="utf-8")
    result = run("eval", gold, "--json")
    assert result.exit_code == 2
    assert "no annotated items" in result.stderr and str(gold) in result.stderr
    assert result.stdout == ""


def test_html_page_without_article_text_fails_and_the_batch_still_lands(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    page = tmp_path / "menu only.html"
    page.write_text(
        "<html><head><title>Home</title></head><body><nav>menu</nav></body></html>",
        encoding="utf-8",
    )
    good = tmp_path / "good.txt"
    good.write_text(ARTICLE, encoding="utf-8")
    result = run("ingest", page, good, "--db", db)
    assert result.exit_code == 1
    assert "menu only.html: no article text found in the page" in result.stderr
    hits = json.loads(run("search", "Saraqeb", "--json", "--db", db).stdout)
    assert [h["title"] for h in hits] == ["A title line"]
    assert json.loads(run("search", "menu", "--json", "--db", db).stdout) == []


def test_figures_with_an_unknown_category_is_bad_usage(tmp_path: Path) -> None:
    result = run("figures", "--category", "kiled", "--json", "--db", tmp_path / "x.db")
    assert result.exit_code == 2
    assert "--category 'kiled': choose one of killed" in result.stderr
    assert result.stdout == ""
    known = run("figures", "--category", "killed", "--json", "--db", tmp_path / "x.db")
    assert known.exit_code == 0 and json.loads(known.stdout) == []


def test_an_article_dated_in_the_future_is_kept_undated_with_a_warning(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    source = tmp_path / "dated.jsonl"
    rows = [
        {
            "url": "http://example.org/typo",
            "title": "Typo year",
            "body": "b",
            "published": "2099-01-01",
        },
        {"url": "http://example.org/ok", "title": "Real", "body": "b", "published": "2020-02-03"},
        {"url": "http://example.org/old", "title": "Old", "body": "b", "published": "1912-04-15"},
    ]
    source.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    result = run("ingest", source, "--db", db)
    assert result.exit_code == 0
    assert "http://example.org/typo: published 2099-01-01" in result.stderr
    assert "in the future" in result.stderr
    report = json.loads(run("report", "--json", "--db", db).stdout)
    assert report["articles"] == 3
    assert report["latest"].startswith("2020-02-03")
    hits = json.loads(run("search", "Typo", "--json", "--db", db).stdout)
    assert [(h["title"], h["published"]) for h in hits] == [("Typo year", None)]


def test_export_into_a_missing_folder_names_the_folder_and_creates_nothing(tmp_path: Path) -> None:
    target = tmp_path / "no such folder" / "events.csv"
    args = ("--what", "events", "--format", "csv", "--db", tmp_path / "x.db")
    result = run("export", *args, "-o", target)
    assert result.exit_code == 2
    assert f"folder {target.parent} does not exist" in result.stderr
    assert not target.parent.exists()
    forced_onto_folder = run("export", *args, "-o", tmp_path, "--force")
    assert forced_onto_folder.exit_code == 2
    assert f"{tmp_path}: is a folder" in forced_onto_folder.stderr


def test_plain_sitrep_takes_the_dashboard_options(tmp_path: Path) -> None:
    """`sitrep --db X` opens the dashboard on X (the contract: --db on every command)."""
    folder = tmp_path / "a folder"
    folder.mkdir()
    opened = subprocess.run(
        [sys.executable, "-m", "tui", "--db", str(folder), "--no-mouse"],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert opened.returncode == 2
    assert opened.stderr.strip() == f"sitrep: {folder}: is a directory, not a database file"
    assert "No such option" not in opened.stderr


def test_with_default_command_keeps_commands_and_help() -> None:
    assert with_default_command(["--db", "x.db"]) == ["dashboard", "--db", "x.db"]
    assert with_default_command(["search", "--db", "x.db", "q"])[0] == "search"
    assert with_default_command(["--help"]) == ["--help"]
    assert with_default_command([]) == []


def test_db_before_the_command_works_as_after_it(tmp_path: Path) -> None:
    """`sitrep --db X report` (the way `sitrep --db X` opens the dashboard) used to open the
    dashboard's parser and fail with 'unexpected extra argument (report)'."""
    db = tmp_path / "x.db"
    source = tmp_path / "a.txt"
    source.write_text(ARTICLE, encoding="utf-8")
    assert run("ingest", source, "--db", db).exit_code == 0
    for command in (["report"], ["search", "Saraqeb"], ["feeds", "list"], ["places", "--json"]):
        before = run(*with_default_command(["--db", str(db), *command]))
        after = run(*command, "--db", db)
        assert before.exit_code == 0, before.output
        # (the report's first line is the time it was made)
        assert before.stdout.splitlines()[1:] == after.stdout.splitlines()[1:]


def test_options_before_the_command_stay_options_before_a_double_dash() -> None:
    assert with_default_command(["--db=x.db", "--profile", "p.toml", "ingest", "--", "-a.txt"]) == [
        "ingest",
        "--db=x.db",
        "--profile",
        "p.toml",
        "--",
        "-a.txt",
    ]
    assert with_default_command(["--db", "x.db", "--watch"])[0] == "dashboard"
    assert with_default_command(["--db"]) == ["dashboard", "--db"]


def test_extract_reads_a_utf16_file_with_a_bom_as_ingest_does(tmp_path: Path) -> None:
    article = tmp_path / "utf16 article.txt"
    text = "A title\n\nGovernment forces captured Saraqeb on Monday, residents said."
    article.write_bytes(text.encode("utf-16"))
    result = run("extract", article, "--json")
    assert result.exit_code == 0
    assert [p["name"] for p in json.loads(result.stdout)["places"]] == ["Saraqeb"]


def test_extract_of_a_missing_file_says_so(tmp_path: Path) -> None:
    missing = tmp_path / "nope.txt"
    result = run("extract", missing)
    assert result.exit_code == 2
    assert result.stderr.strip() == f"sitrep: {missing}: no such file"


def test_extract_refuses_a_fifo_named_jsonl_instead_of_hanging(tmp_path: Path) -> None:
    fifo = tmp_path / "articles.jsonl"
    os.mkfifo(fifo)
    result = run("extract", fifo)
    assert result.exit_code == 2
    assert result.stderr.strip() == f"sitrep: {fifo}: not a regular file"


def test_an_article_without_a_title_reads_untitled_in_report_and_search(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    source = tmp_path / "untitled.json"
    body = "Shelling hit Ariha overnight, residents said."
    source.write_text(json.dumps({"url": "http://example.org/u", "body": body}), encoding="utf-8")
    assert run("ingest", source, "--db", db).exit_code == 0
    report = run("report", "--db", db).stdout
    headline = next(line for line in report.splitlines() if "(untitled)" in line)
    assert headline.startswith("-")
    assert "(untitled)" in run("search", "Ariha", "--db", db).stdout
    assert json.loads(run("search", "Ariha", "--json", "--db", db).stdout)[0]["title"] == ""


def test_a_search_with_no_word_says_so_rather_than_no_match(tmp_path: Path) -> None:
    for query in ("", "   ", '""', "*"):
        result = run("search", query, "--db", tmp_path / "x.db")
        assert result.exit_code == 0
        assert result.stderr.strip() == f"sitrep: no word to search for in {query!r}"


def test_extract_of_an_empty_text_says_so_as_ingest_does(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text(" \n\n", encoding="utf-8")
    result = run("extract", empty)
    assert result.exit_code == 2
    assert result.stderr.strip() == f"sitrep: {empty}: not an article: the text is empty"
    piped = CliRunner().invoke(app, ["extract", "-"], input="")
    assert piped.exit_code == 2
    assert piped.stderr.strip() == "sitrep: stdin: not an article: the text is empty"


def test_report_shows_figures_in_words_with_their_group(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    source = tmp_path / "a.json"
    body = "At least 1,500 civilians were displaced from Saraqeb on Monday, the UN said."
    article = {"url": "http://e.org/1", "title": "T", "body": body, "published": "2020-02-04"}
    source.write_text(json.dumps(article), encoding="utf-8")
    assert run("ingest", source, "--db", db).exit_code == 0
    report = run("report", "--db", db).stdout
    line = next(row for row in report.splitlines() if row.startswith("2020-02-03  displaced"))
    assert line.split()[2:6] == ["at", "least", "1,500", "civilians"]


def test_a_lede_that_recalls_the_previous_change_leaves_the_newer_holder(tmp_path: Path) -> None:
    """Wire ledes often recall what came before ('..., days after rebels had retaken it'): the
    place must end with the change the article reports, not the one it recalls."""
    article = {
        "url": "https://wire.example/saraqeb-retaken",
        "title": "Syrian troops back in Saraqeb",
        "body": (
            "Syrian government forces backed by Russian air power recaptured the strategic town"
            " of Saraqib on Monday, state media said, days after rebels supported by Ankara had"
            " retaken it.\n\nThe town sits where the M4 and M5 highways meet."
        ),
        "published": "2020-03-02T18:00:00+00:00",
        "source": "Wire",
    }
    path = tmp_path / "lede.json"
    path.write_text(json.dumps(article), encoding="utf-8")
    db = tmp_path / "x.db"
    assert run("ingest", path, "--db", db).exit_code == 0
    places = json.loads(run("places", "--json", "--db", db).stdout)
    saraqeb = next(p for p in places if p["name"] == "Saraqeb")
    assert saraqeb["controlled_by_side"] == "government"
    assert saraqeb["control_since"] == "2020-03-02"


def test_a_fifo_inside_a_folder_is_named_not_read(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    os.mkfifo(folder / "pipe.txt")  # reading it would block forever
    (folder / "a.txt").write_text(ARTICLE, encoding="utf-8")
    result = run("ingest", folder, "--db", tmp_path / "x.db")
    assert result.exit_code == 0
    assert f"{folder / 'pipe.txt'}: not a regular file; skipped" in result.stderr
    assert "ingested 1," in result.stderr


def test_a_usage_error_is_one_line_naming_what_is_wrong_and_the_help_to_read() -> None:
    cases = {
        ("report", "--bogus"): ("--bogus", "sitrep report --help"),
        ("search",): ("'query'", "sitrep search --help"),
        ("reprot",): ("'reprot'", "sitrep --help"),
    }
    for args, (named, help_command) in cases.items():
        result = run(*args)
        assert result.exit_code == 2, args
        lines = result.stderr.splitlines()
        assert len(lines) == 1, lines
        assert lines[0].startswith("Error: ") and named in lines[0], lines
        assert f"(try '{help_command}')" in lines[0], lines
        assert result.stdout == ""


def test_a_change_reported_by_its_month_is_shown_as_the_month(tmp_path: Path) -> None:
    text = tmp_path / "khan.txt"
    text.write_text(
        "Title: Khan Shaykhun fell in August\nDate: 2020-03-01\n\nSyrian government forces "
        "took Khan Shaykhun in August 2019, and rebels recaptured Saraqeb on 27 February "
        "2020, residents said. Fighting went on near the M5 highway.\n"
    )
    db = tmp_path / "x.db"
    assert run("ingest", text, "--db", db).exit_code == 0
    table = run("events", "--db", db).stdout
    assert "2019-08 " in table and "2019-08-01" not in table and "2020-02-27" in table
    found = {e["place"]: e for e in json.loads(run("events", "--json", "--db", db).stdout)}
    khan = found["Khan Shaykhun"]
    assert (khan["date"], khan["date_precision"]) == ("2019-08-01", "month")
    assert found["Saraqeb"]["date_precision"] == "day"
