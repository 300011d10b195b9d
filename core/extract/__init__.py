"""Extraction: places, actors, humanitarian figures, control changes and quotes from article text.

`core.extract.pipeline.Extractor` is the one entry point ingest and the CLI use.
"""

from __future__ import annotations

from typing import Protocol


def word_set(text: str) -> frozenset[str]:
    """The words of a whitespace-separated string, as a set (keeps word tables readable)."""
    return frozenset(text.split())


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
