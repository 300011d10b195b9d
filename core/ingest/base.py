"""What every format reader yields, and the limits they all respect.

A reader turns one file into a stream of items: articles, feeds (from OPML), per-item errors
and warnings. Errors are data, not exceptions, so one bad line never stops the rest of a file.
A reader raises `InputError` only when the whole file is unusable (too big, binary, not the
format its extension claims).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from core.models import Article, Feed

# Named limits (bytes). JSON Lines files are streamed, so only each line is bounded.
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_JSON_BYTES = 50 * 1024 * 1024
MAX_JSONL_LINE_BYTES = 5 * 1024 * 1024
# Fewer words than this after the title is no article (an empty page, a bare menu).
MIN_BODY_WORDS = 5


class InputError(Exception):
    """A whole file cannot be read as what it claims to be; the message is the reason."""


@dataclass(frozen=True)
class ItemError:
    """One item (a JSONL line, a list element, a feed entry) that could not become an article."""

    path: Path
    reason: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else str(self.path)
        return f"{where}: {self.reason}"


@dataclass(frozen=True)
class ItemWarning:
    """Something the user should know that did not stop ingest (e.g. a legacy encoding)."""

    path: Path
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


Item = Article | Feed | ItemError | ItemWarning
Items = Iterator[Item]


def file_url(path: Path) -> str:
    """The identity of an article read from a local file: its absolute `file://` URI."""
    return path.resolve().as_uri()


def check_size(path: Path, limit: int) -> None:
    """Refuse a file larger than `limit` before reading any of it."""
    size = path.stat().st_size
    if size > limit:
        megabytes, allowed = size // 2**20, limit // 2**20
        raise InputError(f"file is too large ({megabytes} MB; the limit is {allowed} MB)")
