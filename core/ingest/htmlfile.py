"""A saved web page (`.html` / `.htm`): trafilatura finds the article text and metadata.

trafilatura (with htmldate) is the maintained tool for boilerplate removal: navigation,
cookie banners, comments and related links never reach the body. It keeps only the day of the
publication date, so an explicit timestamp in the page's meta tags (`article:published_time`,
`datePublished`) is preferred when it has one. The canonical URL is the article's identity when
the page names one; otherwise the file's own `file://` URL.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import lxml.html
import trafilatura
from lxml import etree

from core.ingest.base import (
    MAX_FILE_BYTES,
    MIN_BODY_WORDS,
    InputError,
    Items,
    ItemWarning,
    file_url,
)
from core.ingest.reading import decode_bytes, read_bytes
from core.ingest.textfile import strip_boilerplate
from core.models import Article
from core.text import clean_line, clean_text

_TIME_META = (
    "article:published_time",
    "og:published_time",
    "datepublished",
    "pubdate",
    "publishdate",
    "dc.date",
    "dc.date.issued",
    "date",
)


def read_html_article(path: Path) -> Items:
    """Yield the article in an HTML file (or raise InputError when it has none)."""
    data = read_bytes(path, MAX_FILE_BYTES)
    text, warning = decode_bytes(data)
    if warning:
        yield ItemWarning(path, warning)
    yield parse_html_article(text, path)


def parse_html_article(html: str, path: Path, url: str | None = None) -> Article:
    """Main text and metadata of one page; `url` overrides the page's own claims."""
    try:
        tree = lxml.html.fromstring(html)
    except (etree.ParserError, ValueError) as exc:
        raise InputError(f"not HTML: {exc}") from exc
    stamp = _meta_timestamp(tree)
    found = trafilatura.bare_extraction(tree, url=url, with_metadata=True, include_comments=False)
    data = found if isinstance(found, dict) else found.as_dict() if found is not None else {}
    meta: dict[str, Any] = {k: v for k, v in data.items() if isinstance(v, str)}
    title = clean_line(meta.get("title") or _title_tag(tree))
    body = strip_boilerplate(_body_without_title(clean_text(meta.get("text", ""), None), title))
    if len(body.split()) < MIN_BODY_WORDS:  # a menu or a cookie banner is not an article
        raise InputError("no article text found in the page")
    page_url = meta.get("url")
    return Article(
        url=url or _canonical(page_url) or file_url(path),
        title=title,
        body=body,
        published=stamp or _day(meta.get("date")),
        source=clean_line(meta.get("sitename") or _host(page_url) or path.resolve().parent.name),
        extra={"format": "html"} | ({"author": meta["author"]} if meta.get("author") else {}),
    )


def _meta_timestamp(tree: lxml.html.HtmlElement) -> datetime | None:
    """A full publication timestamp from meta tags or JSON-LD, if the page gives one."""
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        if key in _TIME_META and (stamp := _iso(meta.get("content"))):
            return stamp
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        if stamp := _ld_json_date(script.text or ""):
            return stamp
    return None


def _ld_json_date(text: str) -> datetime | None:
    try:
        data = json.loads(text)
    except ValueError:
        return None
    for item in data if isinstance(data, list) else [data]:
        if isinstance(item, dict) and (stamp := _iso(item.get("datePublished"))):
            return stamp
    return None


def _iso(value: object) -> datetime | None:
    """An ISO timestamp with a time of day, as aware UTC (a bare date is left to htmldate)."""
    if not isinstance(value, str) or "T" not in value:
        return None
    try:
        stamp = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return (stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)).astimezone(UTC)


def _day(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value[:10]).replace(tzinfo=UTC)
    except ValueError:
        return None


def _title_tag(tree: lxml.html.HtmlElement) -> str:
    found = tree.find(".//title")
    return found.text_content() if found is not None else ""


def _canonical(url: str | None) -> str | None:
    return url if url and urlsplit(url).scheme in ("http", "https") else None


def _host(url: str | None) -> str:
    return urlsplit(url).hostname or "" if url else ""


def _body_without_title(body: str, title: str) -> str:
    """trafilatura often repeats the headline as the first line of the text."""
    first, _, rest = body.partition("\n")
    return rest.strip() if title and first.strip().casefold() == title.casefold() else body
