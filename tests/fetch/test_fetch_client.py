"""The HTTP client against a real server on 127.0.0.1: statuses, limits and hostile servers."""

from __future__ import annotations

import asyncio
import socket
import time
import tracemalloc
import zlib

import pytest
from fetch_helpers import LocalServer, Request, Response

from core.fetch.client import Fetcher, FetchResult, parse_retry_after
from core.fetch.guard import UrlGuard
from core.fetch.settings import USER_AGENT, FetchSettings

OPEN = UrlGuard(allow_private=True)


async def get(url: str, settings: FetchSettings, guard: UrlGuard = OPEN, **kw) -> FetchResult:
    async with Fetcher(settings) as fetcher:
        return await fetcher.get(url, guard=guard, max_bytes=settings.feed_max_bytes, **kw)


async def test_200_returns_the_body_and_sends_the_user_agent(server: LocalServer, settings):
    server.serve("/feed", b"<rss/>", content_type="application/rss+xml")
    result = await get(server.url("/feed"), settings)
    assert (result.status, result.body, result.error) == (200, b"<rss/>", None)
    assert server.requests[0].headers["user-agent"] == USER_AGENT
    assert USER_AGENT.startswith("sitrep/")


async def test_304_is_success_not_an_error(server: LocalServer, settings):
    server.serve("/feed", b"", status=304, etag='"v1"')
    result = await get(server.url("/feed"), settings, headers={"If-None-Match": '"v1"'})
    assert result.ok and result.not_modified
    assert server.requests[0].headers["if-none-match"] == '"v1"'


@pytest.mark.parametrize("status", [404, 500, 503])
async def test_error_statuses(server: LocalServer, settings, status: int):
    server.serve("/feed", b"oops", status=status)
    result = await get(server.url("/feed"), settings)
    assert result.status == status
    assert result.error == f"HTTP {status}"
    assert result.body == b""


async def test_connection_refused(settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = await get(f"http://127.0.0.1:{port}/feed", settings)
    assert result.status is None
    assert result.error is not None and result.error.startswith("connection failed")


async def test_redirects_are_followed_up_to_five(server: LocalServer, settings):
    for hop in range(5):
        server.serve(f"/r{hop}", b"", status=302, location=f"/r{hop + 1}")
    server.serve("/r5", b"<rss/>")
    result = await get(server.url("/r0"), settings)
    assert (result.status, result.body) == (200, b"<rss/>")
    assert result.final_url == server.url("/r5")


async def test_redirect_loop_is_cut(server: LocalServer, settings):
    server.serve("/a", b"", status=301, location="/b")
    server.serve("/b", b"", status=301, location="/a")
    result = await get(server.url("/a"), settings)
    assert result.error == "more than 5 redirects"
    assert len(server.requests) == 6


async def test_redirect_to_a_non_web_scheme_is_blocked(server: LocalServer, settings):
    server.serve("/a", b"", status=302, location="file:///etc/passwd")
    result = await get(server.url("/a"), settings)
    assert result.error is not None and "only http and https" in result.error


async def test_guard_runs_on_every_hop(server: LocalServer, settings):
    async def resolve(host: str, _port: int) -> list[str]:
        return ["93.184.216.34"]  # "localhost" is treated as a public host

    server.serve("/a", b"", status=302, location="http://169.254.169.254/latest/meta-data/")
    guard = UrlGuard(resolver=resolve)
    unpinned = FetchSettings(pin_dns=False)  # so "localhost" still reaches the local server
    result = await get(server.url("/a", host="localhost"), unpinned, guard=guard)
    assert result.error is not None and "169.254.169.254" in result.error
    assert result.error.endswith("is a non-public address (169.254.169.254)")


def drip(request: Request) -> None:
    """Headers at once, then one byte every 0.1s (for at most 10s)."""
    out = request.handler.wfile
    out.write(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: 100000\r\n\r\n"
    )
    out.flush()
    stop = time.monotonic() + 10
    try:
        while time.monotonic() < stop:
            out.write(b"<")
            out.flush()
            time.sleep(0.1)
    except OSError:
        pass


async def test_dripping_server_is_cut_by_the_total_deadline(server: LocalServer):
    server.routes["/drip"] = drip
    settings = FetchSettings(read_timeout=5.0, total_deadline=1.0)
    began = time.monotonic()
    result = await get(server.url("/drip"), settings)
    assert result.error == "timed out after 1s"
    assert time.monotonic() - began < 2.5


async def test_body_over_the_cap_is_cut_off(server: LocalServer):
    server.serve("/big", b"x" * 5000)
    result = await get(server.url("/big"), FetchSettings(feed_max_bytes=4000))
    assert result.error == "body larger than 4,000 bytes (cut off)"
    assert result.body == b""


def gzip_of_zeros(size: int) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    chunk = b"\0" * 1_000_000
    parts = [packer.compress(chunk) for _ in range(size // len(chunk))]
    return b"".join([*parts, packer.flush()])


async def test_gzip_bomb_is_cut_off_with_bounded_memory(server: LocalServer):
    bomb = gzip_of_zeros(200_000_000)
    assert len(bomb) < 300_000
    server.routes["/bomb"] = lambda _r: Response(200, bomb, {"Content-Encoding": "gzip"})
    settings = FetchSettings(feed_max_bytes=1_000_000)
    tracemalloc.start()
    result = await get(server.url("/bomb"), settings)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert result.error == "body larger than 1,000,000 bytes (cut off)"
    assert peak < 12_000_000


async def test_gzip_body_within_the_cap_is_decoded(server: LocalServer, settings):
    data = b"<rss>" + b"a" * 10_000 + b"</rss>"
    packed = zlib.compressobj(6, zlib.DEFLATED, 31)
    body = packed.compress(data) + packed.flush()
    server.routes["/gz"] = lambda _r: Response(200, body, {"Content-Encoding": "gzip"})
    result = await get(server.url("/gz"), settings)
    assert result.body == data
    assert result.wire_bytes == len(body)


def test_retry_after_forms():
    now = 1_700_000_000.0
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after("Tue, 14 Nov 2023 22:15:20 GMT", now=now) == pytest.approx(120.0)
    assert parse_retry_after("Tue, 14 Nov 2023 22:00:00 GMT", now=now) == 0.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None


async def test_connection_goes_to_the_address_the_guard_resolved(server: LocalServer, settings):
    async def resolve(host: str, _port: int) -> list[str]:
        return ["127.0.0.1"] if host == "pinned.example" else []

    server.serve("/feed", b"<rss/>")
    guard = UrlGuard(allow_private=True, resolver=resolve)
    result = await get(server.url("/feed", host="pinned.example"), settings, guard=guard)
    assert result.body == b"<rss/>"
    assert server.requests[0].headers["host"] == f"pinned.example:{server.port}"


async def test_dns_rebinding_cannot_swap_the_checked_address(server: LocalServer):
    answers = iter([["93.184.216.34"]])

    async def rebinding(host: str, _port: int) -> list[str]:
        return next(answers, ["127.0.0.1"])  # public when checked, loopback afterwards

    guard = UrlGuard(resolver=rebinding)
    settings = FetchSettings(connect_timeout=0.5, total_deadline=2.0)
    result = await get(server.url("/feed", host="localhost"), settings, guard=guard)
    assert result.error is not None
    assert server.requests == []


def test_pinned_request_keeps_host_and_tls_name():
    import ipaddress

    from core.fetch.client import pinned

    v4 = ipaddress.ip_address("93.184.216.34")
    assert pinned("https://news.example:8443/a?b=1#f", v4) == (
        "https://93.184.216.34:8443/a?b=1",
        "news.example:8443",
        {"sni_hostname": "news.example"},
    )
    v6 = ipaddress.ip_address("2606:4700::1")
    assert pinned("http://news.example/", v6) == ("http://[2606:4700::1]/", "news.example", {})


async def test_time_queued_behind_other_requests_is_not_counted(server: LocalServer):
    def slow(_request: Request) -> Response:
        time.sleep(0.4)
        return Response(200, b"<rss/>")

    for n in range(3):
        server.routes[f"/s{n}"] = slow
    settings = FetchSettings(per_host=1, total_deadline=1.0)
    async with Fetcher(settings) as fetcher:
        results = await asyncio.gather(
            *(fetcher.get(server.url(f"/s{n}"), guard=OPEN, max_bytes=1000) for n in range(3))
        )
    assert [r.error for r in results] == [None, None, None]


async def test_a_host_reuses_its_connection_and_never_lends_it_to_another_name(
    server: LocalServer, settings
):
    """One pool per host name: feeds of a publisher share a kept-alive connection, and a
    connection opened for one name is not used for another name on the same address."""
    server.serve("/feed", b"<rss/>", content_type="application/rss+xml")
    async with Fetcher(settings) as fetcher:
        for host in ("127.0.0.1", "127.0.0.1", "localhost", "localhost", "127.0.0.1"):
            result = await fetcher.get(server.url("/feed", host), guard=OPEN, max_bytes=1000)
            assert result.status == 200
    ports = [request.handler.client_address[1] for request in server.requests]
    hosts = [request.headers["host"].split(":")[0] for request in server.requests]
    assert hosts == ["127.0.0.1", "127.0.0.1", "localhost", "localhost", "127.0.0.1"]
    assert ports[0] == ports[1] == ports[4]
    assert ports[2] == ports[3] != ports[0]
