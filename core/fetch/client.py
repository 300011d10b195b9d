"""The one HTTP client: timeouts, a total deadline, guarded redirects, a decoded-size cap.

Redirects are followed here, not by httpx, so the URL guard runs on every hop. The body is
read raw and decompressed by us with a bounded output (`zlib ... max_length`), so a gzip bomb
costs at most the cap in memory before it is cut off. Concurrency is limited overall and per
host by semaphores, and each request must finish within `total_deadline` (a server that
drips a byte a second cannot hold a fetch).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import importlib
import ssl
import time
import zlib
from collections import defaultdict
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx

from core.fetch.guard import Address, BlockedURL, UrlGuard
from core.fetch.settings import FetchSettings

REDIRECTS = frozenset({301, 302, 303, 307, 308})
# httpx imports its transport (httpcore) and httpcore its asyncio backend (anyio) on the
# first request: ~40 ms of imports on the event loop's thread, in the middle of the first
# round, with every download and every worker waiting behind them. This module exists to
# send requests: they are imported with it instead. (A missing or renamed private module
# only means it is imported on the first request again, as before.)
_HTTP_STACK = ("httpcore", "httpcore._backends.anyio", "anyio._backends._asyncio")
for _module in _HTTP_STACK:
    with contextlib.suppress(ImportError):
        importlib.import_module(_module)


class BodyTooLarge(Exception):
    """The decoded body passed the cap."""


@dataclass
class FetchResult:
    """One request's outcome. `error` is set when there is nothing to use."""

    url: str
    final_url: str = ""
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    error: str | None = None
    retry_after: float | None = None
    wire_bytes: int = 0  # bytes received on the socket (compressed), for the benchmark
    deadline: float | None = field(default=None, repr=False)  # event-loop time

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def ok(self) -> bool:
        return self.error is None


class Fetcher:
    """Owns the one httpx.AsyncClient (a pool per host) and the concurrency limits."""

    def __init__(self, settings: FetchSettings | None = None) -> None:
        self.settings = settings or FetchSettings()
        s = self.settings
        self.client = httpx.AsyncClient(
            timeout=httpx.Timeout(s.read_timeout, connect=s.connect_timeout),
            transport=PoolPerHost(s.per_host),
            follow_redirects=False,
            headers={"User-Agent": s.user_agent, "Accept-Encoding": "gzip, deflate"},
            trust_env=False,
        )
        self._overall = asyncio.Semaphore(s.max_connections)
        self._hosts: defaultdict[str, asyncio.Semaphore] = defaultdict(
            lambda: asyncio.Semaphore(s.per_host)
        )

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.client.aclose()

    async def get(
        self,
        url: str,
        *,
        guard: UrlGuard,
        max_bytes: int,
        headers: dict[str, str] | None = None,
    ) -> FetchResult:
        """GET `url` following up to `max_redirects` guarded redirects; never raises."""
        result = FetchResult(url=url, final_url=url)
        try:
            await self._follow(result, guard, max_bytes, headers or {})
        except TimeoutError:
            result.error = f"timed out after {self.settings.total_deadline:g}s"
        except BlockedURL as exc:
            result.error = str(exc)
        except BodyTooLarge:
            result.error = f"body larger than {max_bytes:,} bytes (cut off)"
        except httpx.HTTPError as exc:
            result.error = _describe(exc)
        except httpx.InvalidURL as exc:  # not an HTTPError: a feed's link or Location header
            result.error = f"invalid URL ({exc})"
        except (zlib.error, ValueError) as exc:
            result.error = f"bad response body ({exc})"
        return result

    async def _follow(
        self, result: FetchResult, guard: UrlGuard, max_bytes: int, headers: dict[str, str]
    ) -> None:
        url = result.url
        for _hop in range(self.settings.max_redirects + 1):
            location = await self._one_hop(url, guard, result, max_bytes, headers)
            if location is None:
                return
            url = urljoin(url, location)
            result.final_url = url
        result.error = f"more than {self.settings.max_redirects} redirects"
        result.body = b""

    async def _one_hop(
        self,
        url: str,
        guard: UrlGuard,
        result: FetchResult,
        max_bytes: int,
        headers: dict[str, str],
    ) -> str | None:
        """One guarded request; the redirect target if any, else the body is in `result`.

        The total deadline starts when the first hop gets its connection slot (time spent
        queueing behind other feeds does not count) and covers every hop after it.
        """
        host = (urlsplit(url).hostname or "").lower()
        async with self._overall, self._hosts[host]:
            if result.deadline is None:
                result.deadline = asyncio.get_running_loop().time() + self.settings.total_deadline
            async with asyncio.timeout_at(result.deadline):
                address = await guard.vet(url)
                pin = address if self.settings.pin_dns else None
                request = _request(self.client, url, pin, headers)
                response = await self.client.send(request, stream=True)
                try:
                    return await self._handle(response, result, max_bytes)
                finally:
                    result.wire_bytes += response.num_bytes_downloaded
                    await response.aclose()

    async def _handle(
        self, response: httpx.Response, result: FetchResult, max_bytes: int
    ) -> str | None:
        result.status = response.status_code
        result.headers = {k.lower(): v for k, v in response.headers.items()}
        location = response.headers.get("location")
        if response.status_code in REDIRECTS and location:
            await _drain(response)
            return str(location)
        result.retry_after = parse_retry_after(response.headers.get("retry-after"))
        if response.status_code == 304:  # success: nothing changed (before any status check)
            await _drain(response)
            return None
        if response.status_code >= 400 or response.status_code < 200:
            await _drain(response)
            result.error = f"HTTP {response.status_code}"
            return None
        result.body = await read_capped(response, max_bytes)
        return None


def _request(
    client: httpx.AsyncClient, url: str, address: Address | None, headers: dict[str, str]
) -> httpx.Request:
    if address is None:
        return client.build_request("GET", url, headers=headers)
    target, host_header, sni = pinned(url, address)
    return client.build_request(
        "GET", target, headers={**headers, "Host": host_header}, extensions=sni
    )


class PoolPerHost(httpx.AsyncBaseTransport):
    """A connection pool per host (scheme and Host header), each made on first use.

    One pool for every host costs more CPU than the downloads once a round has visited a
    few dozen hosts: httpcore scans all of a pool's connections (quadratically, for idle
    ones) each time it places a request. A host's own pool holds at most `per_host`
    connections, kept alive for that host's next feed; and a connection made for one host
    name is never lent to another name that resolved to the same address.
    """

    def __init__(self, per_host: int) -> None:
        self.per_host = per_host
        self._pools: dict[tuple[bytes, str], httpx.AsyncHTTPTransport] = {}

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        key = (request.url.raw_scheme, request.headers.get("host", "").lower())
        pool = self._pools.get(key)
        if pool is None:
            limits = httpx.Limits(max_connections=None, max_keepalive_connections=self.per_host)
            # A plain-http host's pool never makes a TLS connection: it does not need the
            # certificate store (loading it costs ~70 ms of CPU, a round of http feeds
            # would pay it for nothing). Its context trusts no certificate at all.
            tls = _tls_context() if key[0] == b"https" else _no_tls_context()
            pool = httpx.AsyncHTTPTransport(verify=tls, limits=limits, trust_env=False)
            self._pools[key] = pool
        return await pool.handle_async_request(request)

    async def aclose(self) -> None:
        pools, self._pools = list(self._pools.values()), {}
        for pool in pools:
            await pool.aclose()


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """One certificate store for every host's pool (loading it takes tens of ms)."""
    return httpx.create_ssl_context(trust_env=False)  # as the client: no settings from env


@functools.cache
def _no_tls_context() -> ssl.SSLContext:
    """For the pools of plain-http hosts, which never use it: were it ever used, it would
    refuse every server (certificates and host names checked, no certificate trusted)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.verify_mode = ssl.CERT_REQUIRED
    context.check_hostname = True
    return context


async def _drain(response: httpx.Response, limit: int = 65_536) -> None:
    """Read a small unwanted body so the connection goes back to the pool (not closed).

    A large or unsized one is left unread: closing the connection is cheaper than reading it.
    """
    length = response.headers.get("content-length", "")
    if response.status_code == 304 or (length.isdigit() and int(length) <= limit):
        async for _chunk in response.aiter_raw(limit):
            pass


def pinned(url: str, address: Address) -> tuple[str, str, dict[str, str]]:
    """`url` aimed at `address`: (the URL to request, its Host header, TLS extensions).

    TLS still checks the certificate against the URL's host name (`sni_hostname`).
    """
    parts = urlsplit(url)
    ip = f"[{address}]" if address.version == 6 else str(address)
    netloc = f"{ip}:{parts.port}" if parts.port else ip
    host_header = parts.netloc.rsplit("@", 1)[-1]
    target = urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))
    extensions = {"sni_hostname": parts.hostname or ""} if parts.scheme == "https" else {}
    return target, host_header, extensions


async def read_capped(response: httpx.Response, max_bytes: int) -> bytes:
    """The decoded body, raising BodyTooLarge as soon as it would pass `max_bytes`."""
    decoder = _Decoder(response.headers.get("content-encoding", ""), max_bytes)
    async for chunk in response.aiter_raw(65536):
        decoder.feed(chunk)
    decoder.finish()
    return bytes(decoder.out)


class _Decoder:
    """gzip/deflate/identity with bounded output: never inflates past the cap plus one."""

    def __init__(self, encoding: str, max_bytes: int) -> None:
        codings = [c.strip().lower() for c in encoding.split(",") if c.strip()]
        codings = [c for c in codings if c != "identity"]
        if len(codings) > 1 or (codings and codings[0] not in ("gzip", "x-gzip", "deflate")):
            raise ValueError(f"unsupported Content-Encoding {encoding!r}")
        self.coding = codings[0] if codings else ""
        self.max_bytes = max_bytes
        self.out = bytearray()
        self._z = self._new() if self.coding else None

    def _new(self) -> zlib._Decompress:
        # 47 = auto-detect zlib or gzip header; raw deflate (no header) falls back in feed().
        return zlib.decompressobj(47)

    def feed(self, data: bytes) -> None:
        if self._z is None:
            self._append(data)
            return
        while data:
            room = self.max_bytes - len(self.out) + 1
            try:
                self._append(self._z.decompress(data, room))
            except zlib.error:
                if self.coding != "deflate" or self.out:
                    raise
                self._z = zlib.decompressobj(-15)  # servers that send raw deflate
                continue
            data = self._z.unconsumed_tail
            if self._z.eof and self._z.unused_data:  # a second gzip member
                data = self._z.unused_data
                self._z = self._new()

    def finish(self) -> None:
        if self._z is not None:
            self._append(self._z.flush())

    def _append(self, data: bytes) -> None:
        if len(self.out) + len(data) > self.max_bytes:
            raise BodyTooLarge
        self.out += data


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def _describe(exc: httpx.HTTPError) -> str:
    kinds: list[tuple[type[httpx.HTTPError], str]] = [
        (httpx.ConnectTimeout, "connection timed out"),
        (httpx.ReadTimeout, "read timed out"),
        (httpx.ConnectError, "connection failed"),
        (httpx.RemoteProtocolError, "broken HTTP response"),
        (httpx.UnsupportedProtocol, "unsupported URL"),
    ]
    for kind, text in kinds:
        if isinstance(exc, kind):
            detail = str(exc).strip()
            return f"{text} ({detail})" if detail else text
    return f"{type(exc).__name__}: {exc}".strip()
