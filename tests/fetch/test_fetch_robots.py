"""Article pages are fetched for full text only where the site's robots.txt allows it."""

from __future__ import annotations

import json

import pytest
from fetch_helpers import LocalServer
from sqlite_utils import Database
from test_fetch_poller import PAGE, add, atom_summaries, poll

HTML = {"content_type": "text/html; charset=utf-8"}


def fulltext_errors(db: Database) -> dict[str, str | None]:
    rows = db.execute("select url, extra from articles").fetchall()
    return {url: json.loads(extra).get("fulltext_error") for url, extra in rows}


async def poll_pages(server: LocalServer, db: Database, settings, *paths: str) -> dict:
    for path in paths:
        server.serve(path, PAGE, **HTML)
    server.serve("/feed", atom_summaries(server.url(""), list(paths)))
    add(db, server.url("/feed"))
    await poll(db, settings, server.url("/feed"))
    return {url.removeprefix(server.url("")): error for url, error in fulltext_errors(db).items()}


async def test_disallowed_pages_keep_their_summary_and_say_why(server, db, settings):
    """Rules for sitrep's own token win over `*`; the longest match decides; wildcards
    work; robots.txt is read once for the whole round."""
    server.serve(
        "/robots.txt",
        b"User-agent: *\nDisallow: /\n\n"
        b"User-agent: sitrep\nDisallow: /news/\nAllow: /news/open/\nDisallow: /*?print=\n",
    )
    errors = await poll_pages(
        server, db, settings, "/news/a", "/news/open/b", "/other/c", "/other/d?print=1"
    )
    origin = server.url("")
    assert errors == {
        "/news/a": f"{origin}/robots.txt disallows this page",
        "/news/open/b": None,
        "/other/c": None,
        "/other/d?print=1": f"{origin}/robots.txt disallows this page",
    }
    assert server.paths_requested().count("/robots.txt") == 1
    body = db.execute("select body from articles where url = ?", [origin + "/news/a"]).fetchone()
    assert body == ("Short teaser /news/a…",)


@pytest.mark.parametrize(
    ("status", "fetched"), [(404, True), (403, True), (302, True), (500, False)]
)
async def test_a_missing_robots_txt_allows_and_an_unreachable_one_does_not(
    server, db, settings, status: int, fetched: bool
):
    """4xx: unavailable, no rules; a redirect loop likewise; 5xx: unreachable, no pages."""
    loop = {"location": server.url("/robots.txt")} if status == 302 else {}
    server.serve("/robots.txt", b"User-agent: *\nDisallow: /\n", status=status, **loop)
    errors = await poll_pages(server, db, settings, "/page")
    if fetched:
        assert errors == {"/page": None}
    else:
        robots = server.url("/robots.txt")
        assert errors == {
            "/page": f"{robots} unreachable (HTTP 500): pages of this site are not fetched"
        }
        assert "/page" not in server.paths_requested()


async def test_a_page_redirected_to_a_disallowed_one_is_not_kept(server, db, settings):
    server.serve("/robots.txt", b"User-agent: *\nDisallow: /private/\n")
    server.serve("/private/page", PAGE, **HTML)
    server.serve("/go", b"", status=302, location=server.url("/private/page"))
    server.serve("/feed", atom_summaries(server.url(""), ["/go"]))
    add(db, server.url("/feed"))
    await poll(db, settings, server.url("/feed"))
    errors = fulltext_errors(db)
    assert errors == {server.url("/go"): f"{server.url('')}/robots.txt disallows this page"}
