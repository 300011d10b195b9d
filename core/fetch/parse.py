"""Feed documents (RSS 0.9x/1.0/2.0, Atom, RDF) from bytes to Articles, with feedparser.

feedparser only ever sees bytes (`io.BytesIO`), never a URL or a str, so a hostile value
cannot make it open a file or the network. Before it does, any DOCTYPE with an internal
subset is cut out, so no entity is ever declared: no external entity (XXE) can be read and
no billion-laughs expansion can run, whatever the parser underneath does. Problems come back
as data (`ParsedFeed.error` / `.warnings`), never as exceptions.
"""

from __future__ import annotations

import calendar
import hashlib
import io
import re
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urljoin, urlsplit, urlunsplit

import feedparser

from core.fetch import feedparser_patches
from core.fetch.html import html_to_text
from core.models import Article, utcnow
from core.text import MAX_SOURCE_CHARS, MAX_TITLE_CHARS, clean_line, clean_plain_line

feedparser_patches.apply()

MAX_ENTRIES = 1_000
MAX_URL_CHARS = 4096
# Clocks and time zones differ: an entry dated up to a day ahead keeps its date.
FUTURE_TOLERANCE = timedelta(days=1)
# feedparser flags these, but the entries are read right: not worth a warning.
_BENIGN = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)
# An entry whose text came from its summary and is shorter than this is worth a page fetch.
SUMMARY_ONLY_CHARS = 1_500
_TRUNCATION_MARKS = ("...", "…", "[…]", "[...]", "read more", "continue reading")

_DOCTYPE_START = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
_FIRST_ELEMENT = re.compile(rb"<[A-Za-z_]")
# Tokens of a DOCTYPE: plain runs, quoted strings, or one special character. Scanning with
# these is linear in the input, whatever it holds (a backtracking pattern over the whole
# declaration is not: a few kilobytes of "<!DOCTYPE a<!DOCTYPE a..." took minutes).
_DOCTYPE_TOKEN = re.compile(rb"""[^"'\[\]>]+|"[^"]*"|'[^']*'|.""", re.DOTALL)
_ENTITY_DECL = re.compile(rb"<!ENTITY", re.IGNORECASE)
# A comment body is matched unambiguously (it cannot contain "-->"): `<!--.*?-->` repeated
# backtracks exponentially on a run of comments that is not followed by <html.
_HTML_START = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--(?:[^-]|-(?!->))*-->\s*)*<(?:!doctype\s+html|html)\b",
    re.IGNORECASE,
)
# Characters a URL may not carry raw: controls (ESC starts a terminal escape sequence),
# spaces and invisible or direction-changing marks. They are percent-encoded, never dropped
# (dropping could make two different links one).
URL_UNSAFE = re.compile("[\x00-\x20\x7f-\x9f\u00a0\u2000-\u200f\u2028-\u202f\u205f-\u206f\ufeff]")
_HAS_HOST = re.compile(r"https?://[^/?#]")
# A URL canonical_url gives back as it is (a "/" added when it has no path): lower-case
# http(s) scheme, a lower-case host of letters, digits, dots and hyphens (no port, no user),
# a path of characters URL_UNSAFE leaves alone, no query and no fragment.
_PLAIN_URL = re.compile(r"https?://[a-z0-9.-]+(/[A-Za-z0-9\-._~!$&'()*+,;=:@/%]*)?")
# A link urljoin gives back as it is, whatever the base (as feedparser_patches' plain joins):
# lower-case http(s) scheme, a host of letters, digits, dots and hyphens, and a path with no
# ';' (an empty parameter would be dropped), '?', '#', brackets, spaces or controls.
_JOINS_AS_IT_IS = re.compile(r"https?://[A-Za-z0-9.-]+(?:/[A-Za-z0-9\-._~!$&'()*+,=:@/%]*)?")
_TRACKING_PARAMS = re.compile(r"^(?:utm_\w+|fbclid|gclid|mc_cid|mc_eid)$", re.IGNORECASE)
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


@dataclass
class ParsedFeed:
    """What one feed document gave: its articles, recoverable warnings, or a fatal error."""

    url: str
    title: str = ""
    html_url: str | None = None
    articles: list[Article] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    error: str | None = None
    is_html: bool = False
    version: str = ""
    ttl_minutes: int | None = None


def parse_feed_bytes(data: bytes, *, url: str, headers: dict[str, str] | None = None) -> ParsedFeed:
    """Parse a feed body fetched from (or read as) `url`; `headers` are the HTTP response's.

    Never raises: whatever trips the parser on a document (feedparser's own failures on
    mangled input included) is that feed's error."""
    try:
        return _parse(data, url, headers)
    except Exception as exc:
        text = clean_line(str(exc), 200)
        return ParsedFeed(
            url=url, error=f"{url}: not a readable feed ({type(exc).__name__}: {text})"
        )


def _parse(data: bytes, url: str, headers: dict[str, str] | None) -> ParsedFeed:
    result = ParsedFeed(url=url)
    headers = {k.lower(): v for k, v in (headers or {}).items()}
    if _looks_like_html(data, headers):
        return _html_error(result)
    data, headers = _to_ascii_compatible(data, headers)
    data = _strip_doctype(data, result)
    headers.setdefault("content-location", url)
    headers.setdefault("content-type", "application/xml")
    # Markup is never rendered (html_to_text keeps only text), so feedparser's own HTML
    # sanitiser and relative-URI rewriting inside content would be slow work for nothing.
    parsed = feedparser.parse(
        io.BytesIO(data),
        response_headers=headers,
        sanitize_html=False,
        resolve_relative_uris=False,
    )
    return _from_parsed(parsed, data, result)


def _from_parsed(parsed: Any, data: bytes, result: ParsedFeed) -> ParsedFeed:
    result.version = str(parsed.get("version") or "")
    if not result.version and not parsed.entries:
        if _HTML_START.search(data[:4096]) or b"<html" in data[:4096].lower():
            return _html_error(result)
        reason = _bozo_text(parsed) or "no RSS or Atom content"
        result.error = f"{result.url}: not a feed ({reason})"
        return result
    if parsed.get("bozo") and not isinstance(parsed.get("bozo_exception"), _BENIGN):
        result.warnings.append(f"{result.url}: malformed feed, recovered ({_bozo_text(parsed)})")
    feed = parsed.feed
    result.title = _feed_title(feed)
    result.html_url = _absolute(str(feed.get("link") or ""), result.url) or None
    result.ttl_minutes = _int_or_none(feed.get("ttl"))
    source = result.title or (urlsplit(result.url).hostname or result.url)
    entries = parsed.entries[:MAX_ENTRIES]
    if len(parsed.entries) > MAX_ENTRIES:
        result.warnings.append(f"{result.url}: only the first {MAX_ENTRIES} entries were read")
    converted = [entry_to_article(e, feed_url=result.url, source=source) for e in entries]
    result.articles = [a for a in converted if a is not None]
    if skipped := len(converted) - len(result.articles):
        noun = "entry" if skipped == 1 else "entries"
        result.warnings.append(f"{result.url}: {skipped} {noun} without link or id skipped")
    return result


def _feed_title(feed: Any) -> str:
    """The feed's title as one line of text: markup (an Atom title of type html or xhtml)
    is reduced to its visible text, as entry titles are (feedparser does not sanitise)."""
    title = str(feed.get("title") or "")
    kind = str((feed.get("title_detail") or {}).get("type") or "").lower()
    if kind in ("text/html", "application/xhtml+xml"):
        title = html_to_text(title, MAX_SOURCE_CHARS)
    return clean_line(title, MAX_SOURCE_CHARS)


def _html_error(result: ParsedFeed) -> ParsedFeed:
    result.is_html = True
    result.error = f"{result.url}: returned an HTML page, not a feed"
    return result


def _looks_like_html(data: bytes, headers: dict[str, str]) -> bool:
    """An HTML page (a login wall, an error page, a site's front page) served as the feed."""
    content_type = headers.get("content-type", "").lower()
    head = data[:4096]
    if _HTML_START.search(head):
        return True
    lowered = head.lower()
    has_feed_root = any(root in lowered for root in (b"<rss", b"<feed", b"<rdf:rdf"))
    return content_type.startswith("text/html") and not has_feed_root


def _to_ascii_compatible(data: bytes, headers: dict[str, str]) -> tuple[bytes, dict[str, str]]:
    """UTF-16/32 documents become UTF-8 so the DOCTYPE scan below sees them as bytes."""
    for bom, codec in _BOMS[1:]:
        if data.startswith(bom):
            text = data[len(bom) :].decode(codec, errors="replace")
            text = re.sub(r"^<\?xml[^>]*\?>", '<?xml version="1.0" encoding="utf-8"?>', text)
            headers = {k: v for k, v in headers.items() if k != "content-type"}
            return text.encode("utf-8"), headers
    return data, headers


def _strip_doctype(data: bytes, result: ParsedFeed) -> bytes:
    """Remove the DOCTYPE (and its internal subset) before any XML parser sees the bytes.

    A DOCTYPE can only come before the root element, so only that prolog is scanned. An
    unterminated one takes the rest of the document with it (the feed then fails to parse).
    """
    root = _FIRST_ELEMENT.search(data)
    prolog_end = root.start() if root else len(data)
    start = _DOCTYPE_START.search(data, 0, prolog_end)
    if start is None:
        stripped = data
    else:
        end = _doctype_end(data, start.end())
        stripped = data[: start.start()] + (data[end:] if end is not None else b"")
        if _ENTITY_DECL.search(data, start.start(), end or len(data)):
            result.warnings.append(f"{result.url}: entity declarations removed (not expanded)")
    if _ENTITY_DECL.search(stripped[:65536]):
        # A declaration outside any DOCTYPE we found: let no parser see it.
        stripped = _ENTITY_DECL.sub(b"<!-- removed -->", stripped)
    return stripped


def _doctype_end(data: bytes, position: int) -> int | None:
    """Index just past the `>` closing the DOCTYPE that starts before `position`."""
    depth = 0
    for token in _DOCTYPE_TOKEN.finditer(data, position):
        text = token.group()
        if text in (b'"', b"'"):
            return None  # an unterminated quoted string runs to the end
        if text == b"[":
            depth += 1
        elif text == b"]":
            depth = max(0, depth - 1)
        elif text == b">" and depth == 0:
            return token.end()
    return None


def _bozo_text(parsed: Any) -> str:
    exc = parsed.get("bozo_exception")
    if exc is None:
        return ""
    text = clean_line(str(getattr(exc, "getMessage", lambda: str(exc))()), 200)
    return text or type(exc).__name__


# ---- entries ----


def entry_to_article(entry: Any, *, feed_url: str, source: str) -> Article | None:
    """One feed entry as an Article: url is its (absolute, canonical) link, else its guid."""
    # Entries are FeedParserDicts: for keys feedparser maps or computes for none (id, link,
    # title, content, summary...), its get is the dict's own, called here directly.
    get = dict.get
    guid = clean_line(str(get(entry, "id") or ""), 2000) or None
    link = _canonical_link(str(get(entry, "link") or ""), feed_url)
    if len(link) > MAX_URL_CHARS:  # not cut: two cut links could become one article
        link = ""
    url = link or _guid_url(guid, feed_url)
    if not url or len(url) > MAX_URL_CHARS:
        return None
    body, from_summary = _entry_body(entry)
    title = _entry_title(str(get(entry, "title") or ""))
    extra: dict[str, Any] = {}
    if from_summary and link and _looks_truncated(body):
        extra["summary_only"] = True
    published = _entry_time(entry)
    if published is not None and published > utcnow() + FUTURE_TOLERANCE:
        # A date in the future would keep the entry on top of every "latest" list for years.
        extra["published_claimed"] = published.isoformat()
        published = utcnow()
    return Article(
        url=url,
        title=title,
        body=body,
        published=published,
        source=source,
        feed_url=feed_url,
        guid=guid,
        extra=extra,
    )


def _entry_title(raw: str) -> str:
    """An entry's title as one line of text (markup reduced to its visible text)."""
    if raw.isascii() and raw.isprintable() and "<" not in raw and "&" not in raw:
        # Plain text (no markup, entity, control or line break): all html_to_text and
        # clean_line do to it is fold its space runs, strip it, cut it and strip the cut.
        return clean_plain_line(raw)[:MAX_TITLE_CHARS].strip()
    return clean_line(html_to_text(raw, MAX_TITLE_CHARS).replace("\n", " "))


def _entry_body(entry: Any) -> tuple[str, bool]:
    """The fullest text the entry carries; True when it is only the summary.

    Only the longest raw value is converted (HTML to text is the costly step).
    """
    get = dict.get  # as in entry_to_article: none of these keys is mapped
    content, longest, value = None, -1, ""
    for candidate in get(entry, "content") or []:  # the first of the longest non-empty ones
        raw = get(candidate, "value")
        if raw and len(text := str(raw)) > longest:
            content, longest, value = candidate, len(text), text
    summary = get(entry, "summary_detail") or {"value": get(entry, "summary", "")}
    if content is not None and longest >= len(str(get(summary, "value"))):
        return _detail_text(content, value), False
    return _detail_text(summary, str(get(summary, "value") or "")), True


def _detail_text(detail: Any, value: str) -> str:
    """The text of a content or summary `detail` whose value is `value`."""
    if str(dict.get(detail, "type") or "").lower() == "text/plain":
        return html_to_text(value.replace("<", "&lt;"))
    return html_to_text(value)


def _looks_truncated(body: str) -> bool:
    tail = body[-40:].lower().rstrip()
    return len(body) < SUMMARY_ONLY_CHARS or tail.endswith(_TRUNCATION_MARKS)


def _entry_time(entry: Any) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if isinstance(value, time.struct_time):
            try:
                # A valid UTC time is that datetime (what the timestamp round trip gives);
                # fields out of range (a leap second, day 0) are normalised by timegm.
                return datetime(*value[:6], tzinfo=UTC)
            except (ValueError, TypeError):
                pass
            try:
                return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
            except (OverflowError, ValueError, OSError):
                continue
    return None


def _guid_url(guid: str | None, feed_url: str) -> str | None:
    """An entry with no link is identified by its guid (a URL guid is used as is)."""
    if not guid:
        return None
    if urlsplit(guid).scheme in ("http", "https"):
        return canonical_url(guid)
    digest = hashlib.sha256(guid.encode()).hexdigest()[:24]
    return f"{feed_url}#guid-{digest}"


def _absolute(link: str, base: str) -> str:
    link = link.strip()
    if not link:
        return ""
    if _JOINS_AS_IT_IS.fullmatch(link):
        urlsplit(base)  # the join raises only when the base does not split
        return link
    absolute = urljoin(base, link)
    return absolute if urlsplit(absolute).scheme in ("http", "https") else ""


def _canonical_link(link: str, base: str) -> str:
    """`canonical_url(_absolute(link, base))`, without the join for a link that already
    names its scheme and host (feedparser has resolved entry links): joining one gives back
    what canonical_url makes of it anyway. Links with ';' (an empty path parameter is
    dropped by the join) or characters URL_UNSAFE encodes take the full path."""
    link = link.strip()
    if _HAS_HOST.match(link) and ";" not in link and not URL_UNSAFE.search(link):
        return canonical_url(link)
    return canonical_url(_absolute(link, base))


def canonical_url(url: str) -> str:
    """Scheme and host lower-cased, fragment and tracking parameters dropped, unsafe
    characters percent-encoded.

    The same story reached through two feeds (one adding `utm_source=...`) gets one url.
    """
    if not url:
        return ""
    if plain := _PLAIN_URL.fullmatch(url):
        return url if plain.group(1) else url + "/"
    parts = urlsplit(URL_UNSAFE.sub(lambda found: quote(found.group(), safe=""), url))
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    kept = [(k, v) for k, v in pairs if not _TRACKING_PARAMS.match(k)]
    query = parts.query if len(kept) == len(pairs) else urlencode(kept)
    netloc = parts.netloc.lower()
    for port in (":80", ":443"):
        if netloc.endswith(port) and parts.scheme.lower() == {":80": "http", ":443": "https"}[port]:
            netloc = netloc[: -len(port)]
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", query, ""))


def _int_or_none(value: Any) -> int | None:
    if value is None:  # most feeds have no ttl: no exception to raise and catch
        return None
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None
