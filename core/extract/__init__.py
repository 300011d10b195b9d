"""Extraction: places, actors, humanitarian figures, control changes and quotes from article text.

`core.extract.pipeline.Extractor` is the one entry point ingest and the CLI use.
"""

from __future__ import annotations


def word_set(text: str) -> frozenset[str]:
    """The words of a whitespace-separated string, as a set (keeps word tables readable)."""
    return frozenset(text.split())
