"""OPML feed lists in and out: the exchange format of every feed reader.

Reading uses defusedxml with DTDs forbidden, so an OPML file can declare no entity at all.
A feed's category is its `category` attribute, else the title of the folder outline it sits in.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from core.fetch.feedlist import FeedURLError, check_feed_url
from core.models import Feed
from core.text import MAX_SOURCE_CHARS, clean_line

MAX_OPML_BYTES = 10_000_000


class OpmlError(ValueError):
    """An OPML document that cannot be read, with a message naming it."""


def parse_opml(data: bytes, *, source: str, problems: list[str] | None = None) -> list[Feed]:
    """The feeds an OPML document lists (http/https only, first occurrence of each url).

    Outlines with a non-web `xmlUrl` are skipped; a line about each goes to `problems`.
    Raises OpmlError for a document that is not OPML or declares a DTD.
    """
    if len(data) > MAX_OPML_BYTES:
        raise OpmlError(f"{source}: larger than {MAX_OPML_BYTES // 1_000_000} MB")
    root = _parse_xml(data, source)
    body = root.find("body")
    if root.tag != "opml" or body is None:
        raise OpmlError(f"{source}: not an OPML document (no <opml><body>)")
    feeds: dict[str, Feed] = {}
    for outline, folder in _walk(body, None):
        feed = _outline_feed(outline, folder, source, problems)
        if feed is not None:
            feeds.setdefault(feed.url, feed)
    return list(feeds.values())


def _parse_xml(data: bytes, source: str) -> ET.Element:
    try:
        root: ET.Element = SafeET.fromstring(data, forbid_dtd=True)
    except DefusedXmlException as exc:
        raise OpmlError(f"{source}: refused ({type(exc).__name__}: DTDs and entities)") from exc
    except ET.ParseError as exc:
        raise OpmlError(f"{source}: not well-formed XML ({exc})") from exc
    return root


def _walk(element: ET.Element, folder: str | None) -> Iterable[tuple[ET.Element, str | None]]:
    """Every outline with the folder (nearest enclosing non-feed outline title) it sits in."""
    for outline in element.findall("outline"):
        yield outline, folder
        if outline.get("xmlUrl") is None:
            name = clean_line(outline.get("title") or outline.get("text") or "", 200)
            yield from _walk(outline, name or folder)
        else:
            yield from _walk(outline, folder)


def _outline_feed(
    outline: ET.Element, folder: str | None, source: str, problems: list[str] | None
) -> Feed | None:
    url = (outline.get("xmlUrl") or "").strip()
    if not url:
        return None
    try:
        url = check_feed_url(url)
    except FeedURLError as exc:
        if problems is not None:
            problems.append(f"{source}: skipped {exc.shown!r} ({exc.reason})")
        return None
    title = clean_line(outline.get("title") or outline.get("text") or "", MAX_SOURCE_CHARS)
    html_url = (outline.get("htmlUrl") or "").strip() or None
    category = _category(outline.get("category")) or folder
    return Feed(url=url, title=title, html_url=html_url, category=category)


def _category(value: str | None) -> str | None:
    """OPML 2.0 categories are comma-separated slash paths: keep the first, without slashes."""
    if not value:
        return None
    first = value.split(",")[0].strip().strip("/")
    return clean_line(first, 200) or None


def write_opml(feeds: Iterable[Feed], title: str = "sitrep feeds") -> bytes:
    """An OPML 2.0 document: one folder outline per category, feeds without one at the top."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    body = ET.SubElement(root, "body")
    folders: dict[str, ET.Element] = {}
    for feed in feeds:
        parent = body
        if feed.category:
            if feed.category not in folders:
                folders[feed.category] = ET.SubElement(
                    body, "outline", text=feed.category, title=feed.category
                )
            parent = folders[feed.category]
        ET.SubElement(parent, "outline", _feed_attributes(feed))
    ET.indent(root)
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return data + b"\n"


def _feed_attributes(feed: Feed) -> dict[str, str]:
    attributes = {"type": "rss", "text": feed.title or feed.url, "title": feed.title}
    attributes["xmlUrl"] = feed.url
    if feed.html_url:
        attributes["htmlUrl"] = feed.html_url
    if feed.category:
        attributes["category"] = feed.category
    return attributes
