"""Hostile feeds and hostile feed URLs, through the real CLI and a real server on 127.0.0.1."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from fetch_helpers import LocalServer, rss
from typer.testing import CliRunner

from core.fetch.feedlist import FeedURLError, check_feed_url
from core.fetch.guard import BlockedURL, UrlGuard
from core.fetch.opml import parse_opml
from core.fetch.parse import canonical_url
from tui.cli import app

ESC = "\x1b"
OSC52 = f"{ESC}]52;c;aGVsbG8=\x07"
runner = CliRunner()


def sitrep(*args: str):
    return runner.invoke(app, list(args))


@pytest.fixture
def dbfile(tmp_path: Path) -> str:
    return str(tmp_path / "cli.db")


def body(words: int = 300) -> str:
    return "<p>" + " ".join(f"w{n}" for n in range(words)) + "</p>"


def test_an_entry_link_with_control_characters_does_not_sink_the_feed(
    server: LocalServer, dbfile: str
):
    """One entry's link carries ESC: that entry is stored with the byte percent-encoded, the
    others land, and no escape reaches the output (before: the whole feed failed)."""
    entries = [
        {"title": "bad link", "link": f"http://example.org/a{ESC}[31m?x=1", "description": "s"},
        {"title": "good", "link": "http://example.org/good", "content": body()},
    ]
    server.serve("/feed", rss(entries), Content_Type="application/rss+xml")
    result = sitrep("fetch", "--db", dbfile, "--feed", server.url("/feed"))
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "ok 2 new" in result.stdout
    urls = {row[0] for row in sqlite3.connect(dbfile).execute("select url from articles")}
    assert urls == {"http://example.org/a%1B[31m?x=1", "http://example.org/good"}
    found = sitrep("search", "bad", "--db", dbfile)
    assert "http://example.org/a%1B[31m?x=1" in found.stdout and ESC not in found.stdout


def test_hostile_feed_titles_are_stored_and_listed_without_escapes(
    server: LocalServer, dbfile: str
):
    title = f"Feed {ESC}[31mred{ESC}[0m {OSC52} \u202eevil [@click=app.quit]x[/] [UPDATE]"
    entries = [{"title": f"Entry {ESC}[2J [/]", "link": "http://example.org/1", "content": body()}]
    server.serve("/feed", rss(entries, title=title), Content_Type="application/rss+xml")
    assert sitrep("fetch", "--db", dbfile, "--feed", server.url("/feed")).exit_code == 0
    for command in (["feeds", "list"], ["search", "Entry"], ["report"]):
        result = sitrep(*command, "--db", dbfile)
        assert result.exit_code == 0, result.stderr
        shown = result.stdout + result.stderr
        assert ESC not in shown and "\x07" not in shown and "\u202e" not in shown
    listed = sitrep("feeds", "list", "--db", dbfile).stdout
    assert "[@click=app.quit]x[/] [UPDATE]" in listed  # markup shown as the text it is


def test_redirect_to_link_local_is_blocked_even_for_a_feed_on_a_private_host(
    server: LocalServer, dbfile: str
):
    """A feed on 127.0.0.1 may lead to private addresses, never to the metadata service."""
    server.serve("/feed", b"", status=302, Location="http://169.254.169.254/latest/meta-data/")
    result = sitrep("fetch", "--db", dbfile, "--feed", server.url("/feed"))
    assert result.exit_code == 1
    assert "169.254.169.254 is a link-local address" in result.stderr


async def test_guard_refuses_link_local_with_allow_private():
    guard = UrlGuard(allow_private=True)
    await guard.check("http://127.0.0.1:9/page")  # private: allowed for a private feed
    for url in ("http://169.254.169.254/", "http://[fe80::1]/", "http://[::ffff:169.254.1.1]/"):
        with pytest.raises(BlockedURL, match="link-local"):
            await guard.check(url)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        (f"http://example.org/{ESC}[2J", "control characters or spaces"),
        ("http://example.org/a b", "control characters or spaces"),
        ("http://169.254.169.254/latest/", "link-local"),
        ("http://[fe80::1]/feed", "link-local"),
        ("notaurl", "not an http(s) URL"),
        ("ftp://example.org/feed", "not an http(s) URL"),
        ("file:///etc/passwd", "not an http(s) URL"),
    ],
)
def test_feeds_add_refuses_urls_that_are_not_feeds(dbfile: str, url: str, reason: str):
    result = sitrep("feeds", "add", url, "--db", dbfile)
    assert result.exit_code == 2
    assert reason in result.stderr
    assert ESC not in result.stderr
    with pytest.raises(FeedURLError):
        check_feed_url(url)


def test_feeds_add_title_and_remove_echo_are_cleaned(dbfile: str):
    added = sitrep("feeds", "add", "http://example.org/f", "--title", f"T{OSC52}x", "--db", dbfile)
    assert added.exit_code == 0
    listed = sitrep("feeds", "list", "--db", dbfile, "--json")
    assert '"title": "Tx"' in listed.stdout
    removed = sitrep("feeds", "remove", f"http://{ESC}[2Jnot", "--db", dbfile)
    assert removed.exit_code == 2
    assert ESC not in removed.stderr and "not in the feed list" in removed.stderr


def test_opml_outlines_with_hostile_urls_are_skipped_with_a_reason():
    document = (
        b'<?xml version="1.0"?><opml version="2.0"><head/><body>'
        b'<outline text="meta" xmlUrl="http://169.254.169.254/latest/"/>'
        b'<outline text="esc" xmlUrl="http://example.org/a&#x202e;b"/>'
        b'<outline text="ok" xmlUrl="https://example.org/feed"/>'
        b"</body></opml>"
    )
    problems: list[str] = []
    feeds = parse_opml(document, source="x.opml", problems=problems)
    assert [f.url for f in feeds] == ["https://example.org/feed"]
    assert len(problems) == 2 and all("\u202e" not in p for p in problems)
    assert "link-local" in problems[0] and "control characters" in problems[1]


def test_canonical_url_percent_encodes_what_a_terminal_would_run():
    assert canonical_url(f"http://e.org/a{ESC}[31m b\u202e") == "http://e.org/a%1B[31m%20b%E2%80%AE"
    assert canonical_url("http://e.org/ümlaut") == "http://e.org/ümlaut"  # IRIs stay readable


def test_entries_with_overlong_links_are_not_cut_into_one_article():
    from core.fetch.parse import parse_feed_bytes

    stem = "http://example.org/" + "a" * 5_000
    entries = [
        {"title": f"long {n}", "link": f"{stem}{n}", "guid": f"urn:long:{n}", "content": body()}
        for n in range(2)
    ]
    parsed = parse_feed_bytes(rss(entries), url="http://feeds.example/f")
    urls = [a.url for a in parsed.articles]
    assert len(set(urls)) == 2 and all(len(u) <= 4096 for u in urls)


def test_a_validator_with_control_or_non_ascii_bytes_does_not_break_later_polls(
    server: LocalServer, dbfile: str
):
    """Stored and sent back, such an ETag made httpx refuse every later request of the feed."""
    entries = [{"title": "e", "link": "http://example.org/e", "content": body()}]
    server.serve(
        "/feed",
        rss(entries),
        Content_Type="application/rss+xml",
        ETag=f'"v1{ESC}[31m\xff"',
        Last_Modified=f"Mon, 01 Jan 2020 00:00:00 GMT{ESC}[2J",
    )
    for _poll in range(2):
        result = sitrep("fetch", "--db", dbfile, "--feed", server.url("/feed"))
        assert result.exit_code == 0, result.stdout + result.stderr
    sent = [r.headers for r in server.requests]
    assert all("if-none-match" not in h and "if-modified-since" not in h for h in sent)


def test_an_entry_dated_years_ahead_cannot_pin_itself_on_top():
    from datetime import UTC, datetime, timedelta

    from core.fetch.parse import parse_feed_bytes

    soon = datetime.now(UTC) + timedelta(hours=3)
    entries = [
        {
            "title": "future",
            "link": "http://example.org/f",
            "pubDate": "Sat, 01 Jan 2099 00:00:00 GMT",
        },
        {
            "title": "soon",
            "link": "http://example.org/s",
            "pubDate": soon.strftime("%a, %d %b %Y %H:%M:%S GMT"),
        },
    ]
    future, near = parse_feed_bytes(rss(entries), url="http://feeds.example/f").articles
    assert future.published is not None and future.published < datetime(2099, 1, 1, tzinfo=UTC)
    assert future.extra["published_claimed"].startswith("2099-01-01")
    assert near.published == soon.replace(microsecond=0)  # within a day: kept as given
