"""Feed documents (`.xml` / `.rss` / `.atom`) and OPML feed lists (`.opml`) read from disk.

Both reuse the fetch code (core.fetch.parse / core.fetch.opml), so a feed file and a polled
feed become articles the same way: feedparser on bytes through io.BytesIO, DOCTYPEs stripped
before parsing, OPML through defusedxml with DTDs forbidden. A feed file is not a polled feed,
so its entries carry no `feed_url` (the file's URL is kept in `extra["feed_file"]`).
"""

from __future__ import annotations

from pathlib import Path

from core.fetch.opml import OpmlError, parse_opml
from core.fetch.parse import parse_feed_bytes
from core.ingest.base import InputError, Items, ItemWarning, file_url
from core.ingest.reading import read_bytes

MAX_FEED_BYTES = 10 * 1024 * 1024


def read_feed_file(path: Path) -> Items:
    """Yield every entry of a feed document as an article, warnings as warnings."""
    url = file_url(path)
    parsed = parse_feed_bytes(read_bytes(path, MAX_FEED_BYTES), url=url)
    if parsed.is_html:
        raise InputError("an HTML page, not a feed (save it as .html to ingest it as an article)")
    if parsed.error:
        raise InputError(_without_prefix(parsed.error, url))
    for warning in parsed.warnings:
        yield ItemWarning(path, _without_prefix(warning, url))
    if not parsed.articles:
        raise InputError("the feed has no entries")
    source = parsed.title or path.resolve().parent.name
    for article in parsed.articles:
        extra = {**article.extra, "feed_file": url}
        yield article.model_copy(update={"feed_url": None, "source": source, "extra": extra})


def read_opml_file(path: Path) -> Items:
    """Yield every feed an OPML file lists (they are added to the feed list, not fetched)."""
    problems: list[str] = []
    try:
        feeds = parse_opml(read_bytes(path, MAX_FEED_BYTES), source=str(path), problems=problems)
    except OpmlError as exc:
        raise InputError(_without_prefix(str(exc), str(path))) from exc
    for problem in problems:
        yield ItemWarning(path, _without_prefix(problem, str(path)))
    yield from feeds


def _without_prefix(message: str, prefix: str) -> str:
    """The fetch code names the URL first; the ingest report names the path itself."""
    return message.removeprefix(f"{prefix}: ")
