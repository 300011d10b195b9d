"""A real HTTP server on 127.0.0.1 (threaded, scriptable per path) and feed builders."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from xml.sax.saxutils import escape

from sqlite_utils import Database

# A handler gets the request (path, headers) and writes the whole response itself.
Route = Callable[["Request"], "Response | None"]


@dataclass
class Request:
    path: str
    headers: dict[str, str]
    handler: BaseHTTPRequestHandler


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


class LocalServer:
    """Serves registered routes; records every request (path and headers)."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[Request] = []
        self.bytes_sent = 0
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                request = Request(self.path, {k.lower(): v for k, v in self.headers.items()}, self)
                with server._lock:
                    server.requests.append(request)
                route = server.routes.get(self.path.split("?")[0])
                response = route(request) if route else Response(404, b"not found")
                if response is not None:
                    self._send(response)

            def _send(self, response: Response) -> None:
                self.send_response(response.status)
                headers = {"Content-Length": str(len(response.body)), **response.headers}
                for key, value in headers.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(response.body)
                with server._lock:
                    server.bytes_sent += len(response.body)

            def log_message(self, *args: Any) -> None:
                pass

        class Server(ThreadingHTTPServer):
            request_queue_size = 128  # the listen backlog (Python's default of 5 drops SYNs)

            def handle_error(self, request: Any, client_address: Any) -> None:
                pass  # a client that hangs up early (cut-off tests) is expected

        self.httpd = Server(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def serve(self, path: str, body: bytes, status: int = 200, **headers: str) -> None:
        """A fixed response at `path` (header names with _ for -)."""
        fixed = {k.replace("_", "-"): v for k, v in headers.items()}
        self.routes[path] = lambda _request: Response(status, body, fixed)

    def paths_requested(self) -> list[str]:
        return [r.path for r in self.requests]


def rss(
    items: list[dict[str, str]],
    *,
    title: str = "Test feed",
    encoding: str = "utf-8",
    extra_channel: str = "",
) -> bytes:
    """An RSS 2.0 document; item keys: title, link, guid, description, pubDate, content."""
    parts = [f'<?xml version="1.0" encoding="{encoding}"?>']
    parts.append('<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">')
    parts.append(f"<channel><title>{escape(title)}</title><link>http://example.org/</link>")
    parts.append(extra_channel)
    for item in items:
        parts.append("<item>")
        for key in ("title", "link", "guid", "description", "pubDate"):
            if key in item:
                parts.append(f"<{key}>{escape(item[key])}</{key}>")
        if "content" in item:
            parts.append(f"<content:encoded>{escape(item['content'])}</content:encoded>")
        parts.append("</item>")
    parts.append("</channel></rss>")
    return "\n".join(parts).encode(encoding)


def items(
    count: int, prefix: str = "http://example.org/story", body_words: int = 400
) -> list[dict[str, str]]:
    """`count` entries with full content (so no page fetch is attempted)."""
    start = datetime(2020, 2, 1, tzinfo=UTC)
    return [
        {
            "title": f"Story {n}",
            "link": f"{prefix}/{n}",
            "guid": f"{prefix}/{n}",
            "pubDate": format_datetime(start + timedelta(hours=n)),
            "content": "<p>" + " ".join(f"word{n}x{w}" for w in range(body_words)) + "</p>",
        }
        for n in range(count)
    ]


def conditional_route(body: bytes, etag: str = '"v1"', last_modified: str | None = None) -> Route:
    """Serves `body` with an ETag; answers 304 when the request carries it."""

    def route(request: Request) -> Response:
        headers = {"ETag": etag, "Content-Type": "application/rss+xml"}
        if last_modified:
            headers["Last-Modified"] = last_modified
        if request.headers.get("if-none-match") == etag:
            return Response(304, b"", headers)
        return Response(200, body, headers)

    return route


def db_text(database: Database) -> str:
    """Every value stored anywhere in the database, as one string."""
    return "\n".join(database.conn.iterdump())
