"""Extraction: places, actors, humanitarian figures, control changes and quotes from article text.

`core.extract.pipeline.Extractor` is the one entry point ingest and the CLI use.
"""

from __future__ import annotations

import re
from typing import NamedTuple, Protocol

# The four letters that IGNORECASE equates with ASCII letters while str.lower() does not map
# them onto those letters ("İ" even lower-cases to two characters, shifting every offset).
_CASE_TRAPS = re.compile("[\u0130\u0131\u017f\u212a]")


def word_set(text: str) -> frozenset[str]:
    """The words of a whitespace-separated string, as a set (keeps word tables readable)."""
    return frozenset(text.split())


def lowered_for_matching(text: str) -> str | None:
    """`text` lower-cased when a case-sensitive pattern with lower-case literals finds in it
    exactly what the same pattern with IGNORECASE finds in `text`, at the same offsets (about
    twice as fast as IGNORECASE); None when it would not (see _CASE_TRAPS)."""
    return text.lower() if text.isascii() or _CASE_TRAPS.search(text) is None else None


class PlaceHit(NamedTuple):
    """A place mention as the matcher finds it: a PlaceMention's fields, not yet validated
    (extraction validates all of an article's mentions in one call at the end)."""

    place: str
    surface: str
    start: int
    end: int


class ActorHit(NamedTuple):
    """An actor mention as the matcher finds it (see PlaceHit)."""

    actor: str
    side: str
    surface: str
    start: int
    end: int


class PlaceRef(Protocol):
    """A place mention as extractors read it (a PlaceMention, or a sentence-local copy)."""

    @property
    def place(self) -> str: ...
    @property
    def surface(self) -> str: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


class ActorRef(Protocol):
    """An actor mention as extractors read it (an ActorMention, or a sentence-local copy)."""

    @property
    def actor(self) -> str: ...
    @property
    def side(self) -> str: ...
    @property
    def surface(self) -> str: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
