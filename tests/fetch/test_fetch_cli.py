"""`sitrep fetch`, `watch` and `feeds ...` as a user and a cron job run them."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from fetch_helpers import LocalServer, Request, Response, conditional_route, items, rss
from typer.testing import CliRunner

from tui.cli import app

runner = CliRunner()


def sitrep(*args: str):
    return runner.invoke(app, list(args))


@pytest.fixture
def dbfile(tmp_path: Path) -> str:
    return str(tmp_path / "cli.db")


def test_fetch_prints_a_line_per_feed_and_exits_1_on_any_failure(server: LocalServer, dbfile):
    server.routes["/good"] = conditional_route(rss(items(4)))
    server.serve("/bad", b"x", status=500)
    good, bad = server.url("/good"), server.url("/bad")
    result = sitrep("fetch", "--db", dbfile, "--feed", good, "--feed", bad)
    assert result.exit_code == 1
    assert f"ok 4 new  {good}" in result.stdout
    assert f"error 500  {bad}: HTTP 500" in result.stderr

    server.serve("/bad", rss(items(1, prefix="http://example.org/other")))
    again = sitrep("fetch", "--db", dbfile)
    assert again.exit_code == 0
    assert f"304 not modified  {good}" in again.stdout
    assert f"ok 1 new  {bad}" in again.stdout


def test_fetch_due_polls_only_feeds_whose_interval_passed(server: LocalServer, dbfile):
    server.serve("/a", rss(items(1)))
    server.serve("/b", rss(items(1, prefix="http://example.org/b")))
    a, b = server.url("/a"), server.url("/b")
    assert sitrep("fetch", "--db", dbfile, "--feed", a).exit_code == 0
    sitrep("feeds", "add", b, "--interval", "3600", "--db", dbfile)
    due = sitrep("fetch", "--due", "--db", dbfile)
    assert due.exit_code == 0
    assert due.stdout.splitlines() == [f"ok 1 new  {b}"]
    listed = json.loads(sitrep("feeds", "list", "--db", dbfile, "--json").stdout)
    assert {f["url"]: f["interval"] for f in listed} == {a: 900, b: 3600}
    assert sitrep("fetch", "--due", "--db", dbfile).stdout == ""


def test_fetch_json_is_one_document(server: LocalServer, dbfile):
    server.serve("/feed", rss(items(2)))
    result = sitrep("fetch", "--db", dbfile, "--feed", server.url("/feed"), "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert [(d["url"], d["status"], d["http_status"], d["new"]) for d in data] == [
        (server.url("/feed"), "ok", 200, 2)
    ]


def test_fetch_with_no_feeds_says_what_to_do(dbfile, monkeypatch):
    monkeypatch.setattr("tui.commands.feeds._profile", lambda _path: None)  # no profile feeds
    result = sitrep("fetch", "--db", dbfile)
    assert result.exit_code == 2
    assert "sitrep feeds add URL" in result.stderr


def test_fetch_refuses_a_non_web_url(dbfile):
    result = sitrep("fetch", "--db", dbfile, "--feed", "file:///etc/passwd")
    assert result.exit_code == 2
    assert result.stderr.strip() == "sitrep: file:///etc/passwd: not an http(s) URL"


def test_profile_feeds_seed_an_empty_feed_list(dbfile):
    from core.fetch.feedlist import seed_feeds
    from core.profile import FeedSpec, Profile
    from core.store import open_db

    profile = Profile(name="t", feeds=[FeedSpec(url="https://a.example/rss", title="A")])
    database = open_db(dbfile)
    assert seed_feeds(database, profile) == 1
    assert seed_feeds(database, profile) == 0  # only ever into an empty list
    listed = json.loads(sitrep("feeds", "list", "--db", dbfile, "--json").stdout)
    assert [(f["url"], f["title"]) for f in listed] == [("https://a.example/rss", "A")]


def test_feeds_add_takes_several_urls_and_adds_the_good_ones_when_one_is_bad(dbfile):
    """Each URL gets its line; a bad one is named on stderr, the others still land (exit 1)."""
    sitrep("feeds", "add", "https://a.example/rss", "--db", dbfile)
    result = sitrep(
        "feeds",
        "add",
        "https://a.example/rss",
        "ftp://b.example/x",
        "https://c.example/atom",
        "--category",
        "Wires",
        "--db",
        dbfile,
    )
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "already listed  https://a.example/rss",
        "added  https://c.example/atom",
    ]
    assert result.stderr.strip() == "sitrep: ftp://b.example/x: not an http(s) URL"
    listed = json.loads(sitrep("feeds", "list", "--db", dbfile, "--json").stdout)
    assert [f["url"] for f in listed] == ["https://a.example/rss", "https://c.example/atom"]
    only_bad = sitrep("feeds", "add", "ftp://b.example/x", "--db", dbfile)
    assert only_bad.exit_code == 2 and only_bad.stdout == ""
    titled = sitrep("feeds", "add", "https://d.example/1", "https://d.example/2", "--title", "D")
    assert titled.exit_code == 2 and "--title names one feed" in titled.stderr


def test_feeds_add_list_remove(server: LocalServer, dbfile):
    url = server.url("/feed")
    server.serve("/feed", rss(items(3), title="Wire"))
    assert sitrep("feeds", "add", url, "--db", dbfile).stdout.strip() == f"added  {url}"
    assert sitrep("feeds", "add", url, "--db", dbfile).stdout.startswith("already listed")
    sitrep("fetch", "--db", dbfile)
    listed = json.loads(sitrep("feeds", "list", "--db", dbfile, "--json").stdout)
    assert [
        (f["url"], f["title"], f["last_status"], f["last_error"], f["articles"]) for f in listed
    ] == [(url, "Wire", 200, None, 3)]
    assert listed[0]["last_ok"].startswith("20")
    plain = sitrep("feeds", "list", "--db", dbfile).stdout
    assert url in plain and "Wire" in plain
    assert sitrep("feeds", "remove", url, "--db", dbfile).exit_code == 0
    gone = sitrep("feeds", "remove", url, "--db", dbfile)
    assert gone.exit_code == 2 and "not in the feed list" in gone.stderr


OPML = b"""<?xml version="1.0"?><opml version="2.0"><head/><body>
<outline text="Syria"><outline text="A" xmlUrl="https://a.example/rss" htmlUrl="https://a.example/"/>
<outline text="B" xmlUrl="https://b.example/atom"/></outline>
<outline text="C" xmlUrl="https://c.example/feed" category="Aid"/></body></opml>"""


def test_opml_import_export_import_round_trip(tmp_path: Path, dbfile):
    source = tmp_path / "in.opml"
    source.write_bytes(OPML)
    imported = sitrep("feeds", "import", str(source), "--db", dbfile)
    assert imported.exit_code == 0 and "3 feeds, 3 new" in imported.stdout
    out = tmp_path / "out.opml"
    assert sitrep("feeds", "export", str(out), "--db", dbfile).exit_code == 0
    other = str(tmp_path / "other.db")
    assert sitrep("feeds", "import", str(out), "--db", other).exit_code == 0
    first = json.loads(sitrep("feeds", "list", "--db", dbfile, "--json").stdout)
    second = json.loads(sitrep("feeds", "list", "--db", other, "--json").stdout)
    keys = ("url", "title", "html_url", "category")
    assert [[f[k] for k in keys] for f in first] == [[f[k] for k in keys] for f in second]
    assert {f["category"] for f in first} == {"Syria", "Aid"}


def test_export_never_overwrites_a_file_without_force(tmp_path: Path, dbfile):
    sitrep("feeds", "add", "https://a.example/rss", "--db", dbfile)
    target = tmp_path / "mine.opml"
    target.write_text("precious")
    refused = sitrep("feeds", "export", str(target), "--db", dbfile)
    assert refused.exit_code == 2 and "already exists; pass --force" in refused.stderr
    assert target.read_text() == "precious"
    assert sitrep("feeds", "export", str(target), "--force", "--db", dbfile).exit_code == 0
    assert b"https://a.example/rss" in target.read_bytes()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".sitrep")] == []


def test_export_to_stdout(dbfile):
    sitrep("feeds", "add", "https://a.example/rss", "--db", dbfile)
    result = sitrep("feeds", "export", "--db", dbfile)
    assert result.stdout.startswith("<?xml") and 'xmlUrl="https://a.example/rss"' in result.stdout


def test_import_of_a_dtd_opml_is_refused(tmp_path: Path, dbfile):
    bad = tmp_path / "bad.opml"
    bad.write_bytes(b'<!DOCTYPE opml [<!ENTITY a "b">]><opml><body/></opml>')
    result = sitrep("feeds", "import", str(bad), "--db", dbfile)
    assert result.exit_code == 2 and result.stderr.startswith(f"sitrep: {bad}: refused")
    missing = sitrep("feeds", "import", str(tmp_path / "none.opml"), "--db", dbfile)
    assert missing.exit_code == 2 and "cannot read" in missing.stderr


SITREP = [sys.executable, "-m", "tui"]


def article_rows(path: str) -> list[tuple[str, str]]:
    with sqlite3.connect(path) as conn:
        return conn.execute("select url, feed_url from articles order by url").fetchall()


def test_sigterm_during_watch_finishes_the_round_and_loses_nothing(
    server: LocalServer, tmp_path: Path
):
    dbfile = str(tmp_path / "watch.db")
    arrived = threading.Event()
    release = threading.Event()

    def held(_request: Request) -> Response:
        arrived.set()
        release.wait(10)
        return Response(200, rss(items(5, prefix="http://example.org/held")))

    server.routes["/held"] = held
    server.serve("/quick", rss(items(4, prefix="http://example.org/quick")))
    for path in ("/quick", "/held"):
        assert sitrep("feeds", "add", server.url(path), "--db", dbfile).exit_code == 0
    env = {**os.environ, "XDG_STATE_HOME": str(tmp_path / "state"), "SITREP_PROFILE": ""}
    proc = subprocess.Popen(
        [*SITREP, "watch", "--db", dbfile, "--interval", "60"],
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    guard = threading.Timer(30, proc.kill)  # never hang the suite
    guard.start()
    try:
        assert arrived.wait(20), "watch never requested the held feed"
        proc.send_signal(signal.SIGTERM)
        assert proc.stderr is not None
        seen = ""
        while "stopping after the current round" not in seen:
            line = proc.stderr.readline()
            assert line, f"watch ended before acknowledging SIGTERM: {seen}"
            seen += line
        release.set()  # the held response arrives only after the stop request
        _out, err = proc.communicate(timeout=20)
    finally:
        release.set()
        guard.cancel()
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, seen + err
    assert "round 1: 2 feeds, 2 ok" in err
    rows = article_rows(dbfile)
    assert len(rows) == 9 and len(set(rows)) == 9
    log = (tmp_path / "state" / "sitrep" / "watch.log").read_text()
    assert "round 1: 2 feeds" in log

    again = sitrep("fetch", "--db", dbfile)
    assert again.exit_code == 0
    assert article_rows(dbfile) == rows
