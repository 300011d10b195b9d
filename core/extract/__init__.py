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


def initial_grouped(alternatives: list[str], after: str = r"\b") -> str:
    r"""`\b(?:a1|a2|...)` + `after` for lower-cased text, written so that the regex engine scans
    it faster: the alternatives grouped by their first character (a letter), each group that
    letter, then `(?<!\w.)` (the word boundary before it), then the rests in their given order,
    then `after`. Python's engine skips every position whose character opens no group only when
    each branch of a pattern opens with a literal; `\b` first defeats that. At any position only
    one group can match, and within it the alternatives keep their order, so the matches are
    the same, at the same spans. `after` is repeated in every group: neither it nor the
    alternatives may name a group."""
    groups: dict[str, list[str]] = {}
    for alternative in alternatives:
        if not alternative[:1].isalpha():
            raise ValueError(f"an alternative must open with a letter: {alternative!r}")
        groups.setdefault(alternative[0], []).append(alternative[1:])
    return "|".join(
        rf"{first}(?<!\w.)(?:{'|'.join(rests)}){after}" for first, rests in groups.items()
    )


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
