"""Poll rounds against a local server: state per feed, one transaction, full text, backoff."""

from __future__ import annotations

import asyncio
import gc
import os
import random
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from fetch_helpers import LocalServer, Request, Response, conditional_route, db_text, items, rss
from sqlite_utils import Database

import core.fetch.poller as poller_module
import core.fetch.workers as workers_module
from core.fetch.poller import Poller, backoff_seconds
from core.fetch.settings import FetchSettings
from core.models import Feed
from core.query.feeds import due_feeds, get_feeds, list_feeds
from core.store import upsert_feed


def add(db: Database, *urls: str) -> list[Feed]:
    for url in urls:
        upsert_feed(db, Feed(url=url))
    return get_feeds(db, urls)


async def poll(db: Database, settings: FetchSettings, *urls: str, **options):
    return await Poller(db, settings=settings, **options).poll(get_feeds(db, urls))


def count(db: Database, table: str = "articles") -> int:
    return db.execute(f"select count(*) from {table}").fetchone()[0]


def serve_feeds(server: LocalServer, db: Database, stem: str, documents: list) -> list[str]:
    """Serve each document (a feed's bytes, or a route) at /<stem>N and add it as a feed."""
    urls = []
    for n, document in enumerate(documents):
        path = f"/{stem}{n}"
        if callable(document):
            server.routes[path] = document
        else:
            server.serve(path, document)
        urls.append(server.url(path))
    add(db, *urls)
    return urls


async def test_first_poll_stores_entries_then_304_with_stored_validators(
    server: LocalServer, db: Database, settings
):
    lm = "Mon, 10 Feb 2020 08:00:00 GMT"
    server.routes["/feed"] = conditional_route(rss(items(3)), etag='"abc"', last_modified=lm)
    url = server.url("/feed")
    add(db, url)
    first = await poll(db, settings, url)
    assert [(o.status, o.new) for o in first.outcomes] == [("ok", 3)]
    feed = get_feeds(db, [url])[0]
    assert (feed.etag, feed.last_modified, feed.last_status) == ('"abc"', lm, 200)
    assert feed.title == "Test feed" and feed.articles == 3 and feed.failures == 0

    second = await poll(db, settings, url)
    assert [o.line() for o in second.outcomes] == [f"304 not modified  {url}"]
    assert server.requests[1].headers["if-none-match"] == '"abc"'
    assert server.requests[1].headers["if-modified-since"] == lm
    assert count(db) == 3
    assert get_feeds(db, [url])[0].last_status == 304


@pytest.mark.parametrize(("status", "line"), [(500, "error 500"), (404, "error 404")])
async def test_http_errors_are_recorded_with_backoff(
    server: LocalServer, db: Database, settings, status: int, line: str
):
    server.serve("/feed", b"no", status=status)
    url = server.url("/feed")
    add(db, url)
    before = datetime.now(UTC)
    outcome = (await poll(db, settings, url)).outcomes[0]
    assert outcome.line() == f"{line}  {url}: HTTP {status}"
    feed = get_feeds(db, [url])[0]
    assert (feed.last_status, feed.last_error, feed.failures) == (status, f"HTTP {status}", 1)
    assert feed.last_ok is None
    assert feed.next_fetch is not None and feed.next_fetch > before + timedelta(seconds=400)
    assert due_feeds(db, datetime.now(UTC)) == []


async def test_html_page_instead_of_feed_is_a_named_error(server: LocalServer, db, settings):
    server.serve("/feed", b"<html><body>Sign in</body></html>", content_type="text/html")
    url = server.url("/feed")
    add(db, url)
    outcome = (await poll(db, settings, url)).outcomes[0]
    assert outcome.status == "error"
    assert outcome.error == f"{url}: returned an HTML page, not a feed"
    assert get_feeds(db, [url])[0].last_error == "returned an HTML page, not a feed"


async def test_malformed_feed_keeps_entries_and_records_the_warning(server, db, settings):
    broken = rss(items(2)).replace(b"Story 0", b"Story & 0").replace(b"</channel></rss>", b"")
    server.serve("/feed", broken)
    url = server.url("/feed")
    add(db, url)
    outcome = (await poll(db, settings, url)).outcomes[0]
    assert (outcome.status, outcome.new) == ("ok", 2)
    feed = get_feeds(db, [url])[0]
    assert feed.last_status == 200
    assert feed.last_error is not None and "malformed feed, recovered" in feed.last_error


async def test_xxe_payload_stores_no_local_file_content(server, db, settings, tmp_path):
    secret = tmp_path / "passwd"
    secret.write_text("root:MARKER-e2e-xxe-9d1")
    body = (
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "{secret.as_uri()}">]>'
        '<rss version="2.0"><channel><title>T &x;</title><item><title>A &x;</title>'
        "<link>http://example.org/1</link><description>B &x;</description></item>"
        "</channel></rss>"
    ).encode()
    server.serve("/feed", body)
    url = server.url("/feed")
    add(db, url)
    await poll(db, settings, url)
    assert count(db) == 1
    assert "MARKER-e2e-xxe" not in db_text(db)


async def test_same_story_through_two_feeds_is_stored_once(server, db, settings):
    story = {"title": "Shared", "guid": "g-1", "content": "<p>" + "same words " * 200 + "</p>"}
    one = rss([{**story, "link": "http://example.org/s/1?utm_source=a"}], title="One")
    two = rss([{**story, "link": "http://example.org/s/1?utm_medium=b"}], title="Two")
    server.serve("/one", one)
    server.serve("/two", two)
    urls = [server.url("/one"), server.url("/two")]
    add(db, *urls)
    await poll(db, settings, *urls)
    assert db.execute("select url from articles").fetchall() == [("http://example.org/s/1",)]


async def test_guid_is_the_identity_when_the_link_changes(server, db, settings):
    entry = {"title": "T", "guid": "tag:x,2020:7", "content": "<p>" + "text " * 300 + "</p>"}
    server.serve("/feed", rss([{**entry, "link": "http://example.org/old"}]))
    url = server.url("/feed")
    add(db, url)
    await poll(db, settings, url)
    server.serve("/feed", rss([{**entry, "link": "http://example.org/new", "title": "T2"}]))
    outcome = (await poll(db, settings, url)).outcomes[0]
    assert (outcome.new, outcome.updated) == (0, 1)
    assert db.execute("select url, title from articles").fetchall() == [
        ("http://example.org/old", "T2")
    ]


async def test_entries_and_feed_state_commit_together(server, db, settings, monkeypatch):
    server.routes["/feed"] = conditional_route(rss(items(3)), etag='"v9"')
    url = server.url("/feed")
    add(db, url)
    real = workers_module.write_articles

    def crash_after_first(database, pairs, result, fingerprints=None):
        real(database, list(pairs)[:1], result, (fingerprints or [None])[:1])
        raise RuntimeError("disk pulled mid-write")

    monkeypatch.setattr(workers_module, "write_articles", crash_after_first)
    outcome = (await poll(db, settings, url)).outcomes[0]
    assert outcome.error == f"{url}: failed (RuntimeError: disk pulled mid-write)"
    feed = get_feeds(db, [url])[0]
    assert (count(db), feed.etag, feed.last_ok) == (0, None, None)

    monkeypatch.setattr(workers_module, "write_articles", real)
    outcome = (await poll(db, settings, url)).outcomes[0]
    assert (outcome.status, outcome.new, count(db)) == ("ok", 3, 3)
    assert server.requests[-1].headers.get("if-none-match") is None


PAGE = (
    "<html><head><title>x</title></head><body><nav>Home | World | Sport</nav><article>"
    "<h1>Aid convoy reaches the north</h1>"
    + "".join(
        f"<p>Paragraph {n}: trucks carrying food and medicine crossed the border crossing "
        f"this morning, aid workers said, after days of delays at the checkpoint.</p>"
        for n in range(8)
    )
    + "</article><footer>Copyright</footer></body></html>"
).encode()


def atom_summaries(base: str, paths: list[str]) -> bytes:
    entries = "".join(
        f"<entry><title>Entry {p}</title><id>urn:{p}</id><link href='{base}{p}'/>"
        f"<updated>2020-02-10T00:00:00Z</updated><summary>Short teaser {p}…</summary></entry>"
        for p in paths
    )
    return (
        '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Atom</title>'
        f"<id>urn:f</id><updated>2020-02-10T00:00:00Z</updated>{entries}</feed>"
    ).encode()


async def test_summary_only_entries_get_the_page_text(server, db, settings):
    base = server.url("")
    server.serve("/feed", atom_summaries(base, ["/page", "/missing"]))
    server.serve("/page", PAGE, content_type="text/html; charset=utf-8")
    url = server.url("/feed")
    add(db, url)
    await poll(db, settings, url)
    rows = dict(db.execute("select url, body from articles").fetchall())
    assert "Paragraph 7: trucks carrying food" in rows[base + "/page"]
    assert "Copyright" not in rows[base + "/page"]
    assert rows[base + "/missing"] == "Short teaser /missing…"
    extra = db.execute("select extra from articles where url = ?", [base + "/missing"]).fetchone()
    assert '"fulltext_error": "HTTP 404"' in extra[0]


async def test_a_large_round_gets_page_text_then_stores_in_the_workers(
    server, db, settings, monkeypatch
):
    """Feeds whose entries wait for their pages come back from the workers unstored; the
    pages are fetched here and the workers then store entries and state together."""
    monkeypatch.setattr(poller_module, "PARSE_POOL_MIN_FEEDS", 2)
    base = server.url("")
    server.serve("/a", atom_summaries(base, ["/page"]))
    server.serve("/b", rss(items(2, prefix="http://e.org/b")))
    server.serve("/page", PAGE, content_type="text/html; charset=utf-8")
    urls = [server.url("/a"), server.url("/b")]
    add(db, *urls)
    report = await poll(db, settings, *urls)
    assert [(o.status, o.new) for o in report.outcomes] == [("ok", 1), ("ok", 2)]
    body = db.execute("select body from articles where url = ?", [base + "/page"]).fetchone()
    assert "Paragraph 7: trucks carrying food" in body[0]
    assert all(feed.last_ok for feed in get_feeds(db, urls))


async def test_page_budget_limits_page_fetches_per_round(server, db):
    base = server.url("")
    server.serve("/feed", atom_summaries(base, ["/p1", "/p2", "/p3"]))
    for path in ("/p1", "/p2", "/p3"):
        server.serve(path, PAGE, content_type="text/html")
    url = server.url("/feed")
    add(db, url)
    await poll(db, FetchSettings(fulltext_budget=1), url)
    pages = [p for p in server.paths_requested() if p.startswith("/p")]
    assert len(pages) == 1
    extras = [row[0] for row in db.execute("select extra from articles").fetchall()]
    assert sum("page budget of this round used up" in e for e in extras) == 2


async def test_links_to_private_addresses_are_blocked_when_the_feed_is_public(server, db, settings):
    async def resolve(host: str, _port: int) -> list[str]:
        return ["93.184.216.34"]  # the feed host "localhost" is treated as public

    public = server.url("", host="localhost")
    server.serve("/hop", b"", status=302, location="http://169.254.169.254/latest/meta-data/")
    server.serve("/page", PAGE, content_type="text/html")
    direct = server.url("/page")  # 127.0.0.1: a literal loopback address
    body = atom_summaries(public, ["/hop"]).replace(
        b"</feed>",
        f"<entry><title>D</title><id>urn:d</id><link href='{direct}'/>"
        "<updated>2020-02-10T00:00:00Z</updated><summary>Teaser…</summary></entry></feed>".encode(),
    )
    server.serve("/feed", body)
    url = server.url("/feed", host="localhost")
    add(db, url)
    unpinned = FetchSettings(pin_dns=False)  # so "localhost" still reaches the local server
    await poll(db, unpinned, url, resolver=resolve)
    errors = dict(
        db.execute("select url, json_extract(extra, '$.fulltext_error') from articles").fetchall()
    )
    assert "non-public address (169.254.169.254)" in errors[public + "/hop"]
    assert "non-public address (127.0.0.1)" in errors[direct]
    assert "/page" not in server.paths_requested()


async def test_retry_after_is_honoured_within_the_cap(server, db):
    server.serve("/feed", b"busy", status=503, retry_after="7200")
    url = server.url("/feed")
    add(db, url)
    settings = FetchSettings(retry_after_cap=3600.0)
    before = datetime.now(UTC)
    await poll(db, settings, url)
    feed = get_feeds(db, [url])[0]
    assert feed.next_fetch is not None
    wait = (feed.next_fetch - before).total_seconds()
    assert 3600 <= wait < 3600 + 5


def test_backoff_doubles_with_jitter_and_is_capped():
    settings = FetchSettings(retry_base=60.0, max_backoff=3600.0)
    rng = random.Random(7)
    for failures, step in [(1, 900), (2, 1800), (3, 3600), (8, 3600)]:
        for _ in range(50):
            delay = backoff_seconds(failures, 900, settings, rng)
            assert step * 0.5 <= delay <= step
    assert backoff_seconds(1, 30, settings, rng) <= 60
    assert backoff_seconds(1, 900, settings, rng, retry_after=5000) == 5000
    capped = FetchSettings(retry_after_cap=100.0)
    assert backoff_seconds(1, 10, capped, rng, retry_after=10**9) == 100.0


async def test_per_host_concurrency_limit(server, db):
    active = 0
    peak = 0
    lock = threading.Lock()

    def slow(_request: Request) -> Response:
        nonlocal active, peak
        with lock:
            active += 1
            peak = max(peak, active)
        time.sleep(0.15)
        with lock:
            active -= 1
        return Response(200, rss(items(1)))

    urls = serve_feeds(server, db, "f", [slow] * 6)
    report = await poll(db, FetchSettings(per_host=2, max_connections=16), *urls)
    assert [o.status for o in report.outcomes] == ["ok"] * 6
    assert peak == 2


async def test_due_feeds_follow_next_fetch(server, db, settings):
    server.serve("/feed", rss(items(1)))
    url = server.url("/feed")
    add(db, url)
    assert [f.url for f in due_feeds(db, datetime.now(UTC))] == [url]
    await poll(db, settings, url)
    feed = list_feeds(db)[0]
    assert feed.next_fetch is not None
    assert timedelta(seconds=800) < feed.next_fetch - feed.last_fetch < timedelta(seconds=1000)
    assert due_feeds(db, datetime.now(UTC)) == []
    assert [f.url for f in due_feeds(db, feed.next_fetch)] == [url]
    assert [f.url for f in due_feeds(db, datetime.now(UTC) + timedelta(seconds=61), 60)] == [url]
    early = feed.next_fetch - timedelta(seconds=3)
    assert due_feeds(db, early) == []
    assert [f.url for f in due_feeds(db, early, slack=5)] == [url]


async def test_a_feed_in_backoff_is_never_polled_early(server, db, settings):
    server.serve("/feed", b"busy", status=503, retry_after="600")
    url = server.url("/feed")
    add(db, url)
    await poll(db, settings, url)
    feed = list_feeds(db)[0]
    assert feed.next_fetch is not None
    early = feed.next_fetch - timedelta(seconds=3)
    assert due_feeds(db, early, interval=1, slack=5) == []
    assert [f.url for f in due_feeds(db, feed.next_fetch, interval=1)] == [url]


async def test_extraction_is_stored_with_the_articles(server, db, settings):
    from core.models import Extraction, PlaceMention

    def extract(article):
        return Extraction(places=[PlaceMention(place="Saraqeb", surface="x", start=0, end=1)])

    server.serve("/feed", rss(items(2)))
    url = server.url("/feed")
    add(db, url)
    await poll(db, settings, url, extract=extract)
    assert count(db, "place_mentions") == 2


async def test_a_large_round_parses_in_worker_processes(server, db, settings, monkeypatch):
    monkeypatch.setattr(poller_module, "PARSE_POOL_MIN_FEEDS", 3)
    feeds = [rss(items(2, prefix=f"http://example.org/w{n}")) for n in range(4)]
    urls = serve_feeds(server, db, "w", feeds)
    report = await poll(db, settings, *urls)
    assert [(o.status, o.new) for o in report.outcomes] == [("ok", 2)] * 4
    assert count(db) == 8


async def four_feeds_stored_then_not_modified(server, db, settings, prefix: str) -> None:
    """A round of 4 feeds x 3 new entries lands whole (entries and validators); a re-poll is
    all 304s."""
    routes = [
        conditional_route(rss(items(3, prefix=f"http://e.org/{prefix}{n}"))) for n in range(4)
    ]
    urls = serve_feeds(server, db, prefix, routes)
    report = await poll(db, settings, *urls)
    assert [(o.status, o.new) for o in report.outcomes] == [("ok", 3)] * 4
    assert count(db) == 12
    assert all(feed.etag and feed.last_ok for feed in get_feeds(db, urls))
    again = await poll(db, settings, *urls)
    assert [o.status for o in again.outcomes] == ["not_modified"] * 4


async def test_a_large_round_writes_in_worker_processes(server, db, settings, monkeypatch):
    """The workers store each feed in one transaction on their own connection: this
    process (the event loop, downloading) writes none of the articles."""

    def not_here(*_args):
        raise AssertionError("written by the event loop's process")

    monkeypatch.setattr(poller_module, "PARSE_POOL_MIN_FEEDS", 3)
    monkeypatch.setattr(workers_module, "write_articles", not_here)
    await four_feeds_stored_then_not_modified(server, db, settings, "v")


def only_in_other_processes(real):
    """`real`, failing when called in this (the polling) process: forked workers inherit
    the replacement and run `real` there."""
    here = os.getpid()

    def elsewhere(*args, **kwargs):
        assert os.getpid() != here, f"{real.__name__} ran in the polling process"
        return real(*args, **kwargs)

    return elsewhere


def article_rows(db: Database) -> list[tuple]:
    columns = "url, title, body, published, source, content_hash, feed_url, guid, dup_of, extra"
    return db.execute(f"select {columns}, simhash from articles order by url").fetchall()


async def test_forked_workers_parse_and_this_process_writes(server, db, settings, monkeypatch):
    """With no other thread running, the workers are forked from the polling process: they
    parse and fingerprint (never touching the database), this process writes each feed
    with its state in one transaction; a re-poll is all 304s."""
    monkeypatch.setattr(poller_module, "PARSE_POOL_MIN_FEEDS", 3)
    monkeypatch.setattr(poller_module, "_can_fork", lambda: True)
    monkeypatch.setattr(poller_module, "_worker_pool", lambda *_: pytest.fail("forkserver"))
    parse = only_in_other_processes(workers_module.parse_feed_bytes)
    monkeypatch.setattr(workers_module, "parse_feed_bytes", parse)
    monkeypatch.setattr(workers_module, "_database", lambda: pytest.fail("a worker wrote"))
    await four_feeds_stored_then_not_modified(server, db, settings, "f")


def writes_recorded(monkeypatch) -> dict[str, str]:
    """Feed url -> the name of the thread its queued write (`write_in_turn`) ran on."""
    import core.fetch.writer as writer_module

    threads: dict[str, str] = {}
    real = workers_module.write_in_turn

    def recorded(db, writes):
        threads.update({write.state.url: threading.current_thread().name for write in writes})
        return real(db, writes)

    monkeypatch.setattr(writer_module, "write_in_turn", recorded)
    monkeypatch.setattr(poller_module, "write_in_turn", recorded)
    return threads


async def test_a_forked_round_writes_on_a_thread_that_ends_with_it(
    server, db, settings, monkeypatch
):
    """While forked workers parse, the feeds are written on a writer thread of their own
    (the event loop goes on downloading): new entries, a 304's validators and a failure's
    backoff alike. The thread ends with the round, so the next round can fork again."""
    monkeypatch.setattr(poller_module, "PARSE_POOL_MIN_FEEDS", 3)
    monkeypatch.setattr(poller_module, "_can_fork", lambda: True)
    threads = writes_recorded(monkeypatch)
    old = serve_feeds(
        server, db, "w-old", [conditional_route(rss(items(2, prefix="http://e.org/o")))]
    )
    await poll(db, settings, *old)  # one feed: in-process, and it now has validators
    new = [conditional_route(rss(items(3, prefix=f"http://e.org/w{n}"))) for n in range(3)]
    urls = [*old, *serve_feeds(server, db, "w-new", new), server.url("/w-missing")]
    add(db, urls[-1])
    before = threading.active_count()
    report = await poll(db, settings, *urls)
    assert [(o.status, o.new) for o in report.outcomes] == [
        ("not_modified", 0),
        ("ok", 3),
        ("ok", 3),
        ("ok", 3),
        ("error", 0),
    ]
    assert threading.active_count() == before
    assert threads == dict.fromkeys(urls, "sitrep-writer_0")
    assert count(db) == 2 + 9
    feeds = get_feeds(db, urls)
    assert [f.last_status for f in feeds] == [304, 200, 200, 200, 404]
    assert feeds[-1].failures == 1 and feeds[-1].next_fetch is not None
    assert all(f.etag for f in feeds[:-1])


async def test_a_writer_thread_that_cannot_open_the_database_means_writes_in_process(
    server, db, settings, monkeypatch
):
    import core.fetch.writer as writer_module
    from core.store import StoreError

    def refused(*_args, **_kwargs):
        raise StoreError("cannot open the database file")

    monkeypatch.setattr(poller_module, "PARSE_POOL_MIN_FEEDS", 3)
    monkeypatch.setattr(poller_module, "_can_fork", lambda: True)
    monkeypatch.setattr(writer_module, "open_db", refused)
    threads = writes_recorded(monkeypatch)
    await four_feeds_stored_then_not_modified(server, db, settings, "nw")
    assert threads and set(threads.values()) == {"MainThread"}


async def test_forked_workers_store_what_a_round_in_process_stores(
    server, settings, tmp_path, monkeypatch
):
    """Same rows (fingerprints included) whether the round ran in forked workers or here;
    a story two feeds carry is stored once."""
    from core.store import open_db

    shared = {"title": "Shared", "link": "http://e.org/shared", "content": "<p>same</p>"}
    documents = []
    for n in range(4):  # each feed's own words: no near-duplicates whose order would vary
        entries = items(3, prefix=f"http://e.org/q{n}")
        for entry in entries:
            entry["content"] = entry["content"].replace("word", f"f{n}w")
        documents.append(rss([*entries, shared]))
    stored = []
    for name, minimum in (("here", 1000), ("forked", 3)):
        monkeypatch.setattr(poller_module, "PARSE_POOL_MIN_FEEDS", minimum)
        monkeypatch.setattr(poller_module, "_can_fork", lambda: True)
        database = open_db(tmp_path / f"{name}.db")
        urls = serve_feeds(server, database, f"{name}-q", documents)
        report = await poll(database, settings, *urls)
        assert [o.new for o in report.outcomes].count(4) == 1
        stored.append([row[:6] + row[7:] for row in article_rows(database)])  # not feed_url
        database.close()
    assert stored[0] == stored[1]
    assert len(stored[0]) == 13


async def test_forked_workers_inherit_one_extractor_built_for_every_round(
    server, db, settings, monkeypatch
):
    """The polling process builds the extractor once, before forking: no worker builds its
    own, and a later round (`sitrep watch`) with the same profile builds none."""
    import core.fetch.feedlist as feedlist

    region = feedlist.load_region()
    if feedlist.extractor_for(region) is None:
        pytest.skip("extraction pipeline not available")
    built = []
    real = feedlist.extractor_for

    def counted(profile):
        built.append(os.getpid())
        return only_in_other_processes(real(profile))

    monkeypatch.setattr(feedlist, "extractor_for", counted)
    monkeypatch.setattr(workers_module, "_prepared", None)
    monkeypatch.setattr(poller_module, "PARSE_POOL_MIN_FEEDS", 2)
    monkeypatch.setattr(poller_module, "_can_fork", lambda: True)
    body = "<p>" + "Government forces entered Saraqeb on Monday, residents said. " * 30 + "</p>"
    for round_number in range(2):
        entries = [
            {"title": f"R{round_number}", "link": f"http://example.org/z{round_number}-{n}"}
            for n in range(2)
        ]
        documents = [rss([{**entry, "content": body}]) for entry in entries]
        urls = serve_feeds(server, db, f"z{round_number}-", documents)
        report = await poll(db, settings, *urls, extract=lambda _a: None, profile=region)
        assert [o.new for o in report.outcomes] == [1, 1]
    assert built == [os.getpid()]
    mentions = db.execute("select count(distinct url) from place_mentions").fetchone()[0]
    assert mentions == 4


async def test_feeds_fetched_while_the_workers_start_are_parsed_here_and_stored_by_them(
    server, db, settings, monkeypatch
):
    """This process parses what arrives before the pool is up (instead of waiting idle);
    the workers still write every article, each feed once, in one transaction."""
    parsed_here: list[str] = []
    all_parsed = threading.Event()
    parse = workers_module.parse_feed_bytes
    start_pool = poller_module._worker_pool

    def counting_parse(data: bytes, *, url: str, headers: dict[str, str]):
        parsed_here.append(url)
        if len(parsed_here) == 4:
            all_parsed.set()
        return parse(data, url=url, headers=headers)

    def slow_start(*args):
        all_parsed.wait(5)  # the pool comes up only once this process has parsed every feed
        return start_pool(*args)

    def not_here(*_args):
        raise AssertionError("written by the event loop's process")

    monkeypatch.setattr(poller_module, "PARSE_POOL_MIN_FEEDS", 3)
    monkeypatch.setattr(poller_module, "_worker_pool", slow_start)
    monkeypatch.setattr(workers_module, "parse_feed_bytes", counting_parse)
    monkeypatch.setattr(workers_module, "write_articles", not_here)
    routes = [conditional_route(rss(items(3, prefix=f"http://e.org/s{n}"))) for n in range(4)]
    urls = serve_feeds(server, db, "s", routes)
    report = await poll(db, settings, *urls)
    assert sorted(parsed_here) == sorted(urls)
    assert [(o.status, o.new) for o in report.outcomes] == [("ok", 3)] * 4
    assert count(db) == 12
    assert all(feed.etag and feed.last_ok for feed in get_feeds(db, urls))


async def test_a_large_round_of_new_feeds_starts_its_workers_before_any_document_arrives(
    server, db, settings, monkeypatch
):
    """Feeds never fetched cannot answer 304: the pool starts with the round, not when the
    first document is in. A re-poll whose feeds all have validators starts none."""
    started = threading.Event()
    start_pool = poller_module._worker_pool
    served_after_start: list[bool] = []

    def start(*args):
        started.set()
        return start_pool(*args)

    def after_start(route):
        def held(request: Request) -> Response | None:
            served_after_start.append(started.wait(5))
            return route(request)

        return held

    monkeypatch.setattr(poller_module, "PARSE_POOL_MIN_FEEDS", 3)
    monkeypatch.setattr(poller_module, "_worker_pool", start)
    routes = [conditional_route(rss(items(2, prefix=f"http://e.org/n{n}"))) for n in range(3)]
    urls = serve_feeds(server, db, "n", [after_start(route) for route in routes])
    report = await poll(db, settings, *urls)
    assert [(o.status, o.new) for o in report.outcomes] == [("ok", 2)] * 3
    assert served_after_start == [True] * 3
    monkeypatch.setattr(poller_module, "_worker_pool", lambda *_: pytest.fail("pool started"))
    again = await poll(db, settings, *urls)
    assert [o.status for o in again.outcomes] == ["not_modified"] * 3


async def test_a_large_round_into_a_database_in_memory_runs_in_process(
    server, settings, monkeypatch
):
    """Worker processes cannot open a database that lives in this process's memory: the
    round is polled here instead, and every feed is stored all the same."""
    from core.store import open_db

    monkeypatch.setattr(poller_module, "PARSE_POOL_MIN_FEEDS", 2)
    monkeypatch.setattr(poller_module, "_worker_pool", lambda *_: pytest.fail("pool started"))
    memory = open_db(":memory:")
    feeds = [rss(items(2, prefix=f"http://e.org/m{n}")) for n in range(3)]
    urls = serve_feeds(server, memory, "m", feeds)
    report = await poll(memory, settings, *urls)
    assert [(o.status, o.new) for o in report.outcomes] == [("ok", 2)] * 3
    assert count(memory) == 6


@pytest.mark.parametrize("forked", [True, False], ids=["forked", "forkserver"])
async def test_a_large_round_extracts_in_worker_processes(
    server, db, settings, monkeypatch, forked
):
    """Forked from the poller (no other thread) or from a forkserver: either way the
    workers extract, never the polling process."""
    from core.fetch.feedlist import extractor_for, load_region

    region = load_region()
    extract = extractor_for(region)
    if extract is None:
        pytest.skip("extraction pipeline not available")
    monkeypatch.setattr(poller_module, "PARSE_POOL_MIN_FEEDS", 2)
    monkeypatch.setattr(poller_module, "_can_fork", lambda: forked)
    monkeypatch.setattr(Poller, "_extraction", lambda _self, _a: pytest.fail("not in a worker"))
    body = "<p>" + "Government forces entered Saraqeb on Monday, residents said. " * 30 + "</p>"
    entries = [
        {"title": f"T{n}", "link": f"http://example.org/x{n}", "content": body} for n in range(3)
    ]
    urls = serve_feeds(server, db, "x", [rss([entry]) for entry in entries])
    report = await poll(db, settings, *urls, extract=extract, profile=region)
    assert [o.new for o in report.outcomes] == [1, 1, 1]
    places = db.execute("select distinct place from place_mentions").fetchall()
    assert ("Saraqeb",) in places


async def test_extractor_is_built_only_when_an_article_needs_it(server, db, settings, monkeypatch):
    import core.fetch.feedlist as feedlist
    from core.models import Extraction

    built = []

    def fake_extractor_for(profile):
        built.append(profile)
        return lambda article: Extraction()

    monkeypatch.setattr(feedlist, "extractor_for", fake_extractor_for)
    extract = feedlist.lazy_extractor(object())
    assert extract is not None
    server.routes["/feed"] = conditional_route(rss(items(2)))
    url = server.url("/feed")
    add(db, url)
    await poll(db, settings, url, extract=extract)
    await poll(db, settings, url, extract=extract)
    assert len(built) == 1
    built.clear()
    idle = feedlist.lazy_extractor(object())
    await poll(db, settings, url, extract=idle)  # 304: nothing to extract
    assert built == []


async def test_a_feed_cannot_rewrite_another_feeds_article(server, db, settings):
    """A hostile feed reusing another feed's links is counted unchanged and stores nothing."""
    server.serve("/honest", rss(items(2)))
    forged = [
        {**entry, "title": "Forged", "content": "<p>" + "lies " * 300 + "</p>"}
        for entry in items(2)
    ]
    server.serve("/hostile", rss(forged, title="Hostile"))
    honest, hostile = server.url("/honest"), server.url("/hostile")
    add(db, honest, hostile)
    await poll(db, settings, honest)
    outcome = (await poll(db, settings, hostile)).outcomes[0]
    assert (outcome.new, outcome.updated, outcome.unchanged) == (0, 0, 2)
    assert outcome.line() == f"ok 0 new  {hostile}"
    rows = db.execute("select title, feed_url from articles order by url").fetchall()
    assert rows == [("Story 0", honest), ("Story 1", honest)]
    assert "lies" not in db_text(db)


def threshold_route(body: bytes, seen: list[tuple[int, int, int]]):
    """Serves `body`, noting the collector's thresholds while the round runs."""

    def route(request: Request) -> Response:
        seen.append(gc.get_threshold())
        return Response(200, body, {"Content-Type": "application/rss+xml"})

    return route


async def test_rounds_collect_garbage_less_often_and_restore_the_thresholds(
    server: LocalServer, db: Database, settings
):
    """While rounds run (two overlapping here) the youngest generation is collected after
    `ROUND_GC_THRESHOLD` allocations; once the last ends, the thresholds are as they were."""
    seen: list[tuple[int, int, int]] = []
    before = gc.get_threshold()
    gc.set_threshold(700, 11, 12)
    try:
        routes = [
            threshold_route(rss(items(2, prefix=f"http://e.org/{n}")), seen) for n in range(2)
        ]
        urls = serve_feeds(server, db, "t", routes)
        rounds = [poll(db, settings, url) for url in urls]
        reports = await asyncio.gather(*rounds)
        assert [o.new for report in reports for o in report.outcomes] == [2, 2]
        assert seen == [(poller_module.ROUND_GC_THRESHOLD, 11, 12)] * 2
        assert gc.get_threshold() == (700, 11, 12)
        gc.set_threshold(0, 11, 12)  # collections turned off stay off
        await poll(db, settings, *urls)
        assert seen[2:] == [(0, 11, 12)] * 2
        assert gc.get_threshold() == (0, 11, 12)
    finally:
        gc.set_threshold(*before)


def test_a_worker_pool_hands_results_over_through_wide_pipes() -> None:
    """A worker does not wait, its result done, for this process to read the last one."""
    fcntl = pytest.importorskip("fcntl")
    if not hasattr(fcntl, "F_GETPIPE_SZ"):
        pytest.skip("pipe sizes cannot be read here")
    pool = poller_module._forked_pool(None)
    if pool is None:
        pytest.skip("one core: no worker pool")
    try:
        sizes = [
            fcntl.fcntl(queue._writer.fileno(), fcntl.F_GETPIPE_SZ)
            for queue in (pool._call_queue, pool._result_queue)
        ]
        assert sizes == [poller_module.WORKER_PIPE_BYTES] * 2
        assert pool.submit(sum, [1, 2]).result(timeout=30) == 3
    finally:
        pool.shutdown()


def test_a_worker_pool_that_cannot_be_built_means_an_in_process_round(monkeypatch) -> None:
    """Even the pool's locks failing (multiprocessing's helper process not startable) is
    no error: the round runs in this process."""

    def broken(*args: object, **kwargs: object) -> None:
        raise ValueError("bad value(s) in fds_to_keep")

    monkeypatch.setattr(poller_module, "ProcessPoolExecutor", broken)
    assert poller_module._worker_pool(None, None) is None
    assert poller_module._forked_pool(None) is None  # the forked path falls back alike


async def test_a_document_the_parser_trips_on_is_that_feeds_error_with_backoff(
    server: LocalServer, db: Database, settings, monkeypatch
):
    """A parser bug on one document fails that feed alone, and is recorded as its error
    (with a retry time): the feed is not polled again at once, every round."""
    import core.fetch.parse as parse_module

    urls = serve_feeds(server, db, "p", [rss(items(2, prefix="http://e.org/ok")), b"<rss/>"])
    real = parse_module._from_parsed

    def tripping(parsed, data, result):
        if result.url == urls[1]:
            raise KeyError("textinput")
        return real(parsed, data, result)

    monkeypatch.setattr(parse_module, "_from_parsed", tripping)
    report = await poll(db, settings, *urls)
    good, bad = report.outcomes
    assert (good.status, good.new) == ("ok", 2)
    assert bad.status == "error" and "not a readable feed (KeyError" in (bad.error or "")
    (stored,) = get_feeds(db, [urls[1]])
    assert stored.failures == 1 and "KeyError" in (stored.last_error or "")
    assert stored.next_fetch is not None and stored.next_fetch > stored.last_fetch
