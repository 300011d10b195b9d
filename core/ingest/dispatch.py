"""Which reader handles which file, by extension."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from core.ingest.base import Items
from core.ingest.feedfile import read_feed_file, read_opml_file
from core.ingest.htmlfile import read_html_article
from core.ingest.jsonfile import read_json, read_jsonl
from core.ingest.textfile import read_text_article

Reader = Callable[[Path], Items]

READERS: dict[str, Reader] = {
    ".txt": read_text_article,
    ".md": read_text_article,
    ".html": read_html_article,
    ".htm": read_html_article,
    ".json": read_json,
    ".jsonl": read_jsonl,
    ".xml": read_feed_file,
    ".rss": read_feed_file,
    ".atom": read_feed_file,
    ".rdf": read_feed_file,
    ".opml": read_opml_file,
}


def reader_for(path: Path) -> Reader | None:
    """The reader for `path`'s extension (case-insensitive), or None if unsupported."""
    return READERS.get(path.suffix.lower())


def supported(path: Path) -> bool:
    return reader_for(path) is not None
