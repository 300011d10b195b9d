"""Sentence splitting with character offsets.

A regex finds candidate boundaries (sentence punctuation, optional closing quote, whitespace,
then something that can open a sentence); a candidate is dropped when the word before the
period is a known abbreviation ("U.S.", "Gen.", "Feb.", "No.") or an initial. Decimals never
split because a boundary needs whitespace after the punctuation. Every line break ends a
sentence (headlines, datelines and bylines stand on lines of their own). Nothing here
backtracks, so hostile text cannot make it slow.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from core.extract import word_set

MAX_SENTENCE_CHARS = 2_000

# The possessive quantifiers keep this linear on runs like "!?!?!?..."; the lookbehind (the
# run starts here, not inside a longer run) comes after the first character so that the
# regex engine can skip ahead to sentence punctuation instead of trying every position.
_BOUNDARY = re.compile(
    r"[.!?…](?<![.!?…][.!?…])[.!?…]*+[\"'”’)\]]*+[ \t]++(?=[\"'“‘(\[]?[A-Z0-9\u0600-\u06ff])"
)
_DOTTED = re.compile(r"^(?:[A-Za-z]\.)+[A-Za-z]?$")
_ABBREVIATIONS = word_set(
    """
    mr mrs ms dr prof gen lt col maj capt cpt sgt brig adm cmdr sen rep gov pres st mt ft jr sr
    jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thurs fri sat sun
    no nos vs v approx est inc ltd co corp dept univ fig al pp vol ave rd
    """
)


class Sentence(NamedTuple):
    """A sentence and where it stands in the text it came from (a named tuple: an article
    has dozens, and a frozen dataclass costs three times as much to build)."""

    start: int
    end: int
    text: str


def _is_abbreviation(text: str, punct_at: int) -> bool:
    """True when the period at `punct_at` closes an abbreviation, not a sentence."""
    if text[punct_at] != ".":
        return False
    # The word the period ends (40 characters at most; a line break may stand between them).
    before = text[max(0, punct_at - 40) : punct_at].removesuffix("\n")
    if not before or before[-1].isspace():
        return False
    word = before.split()[-1].lstrip("\"'“‘([")
    if len(word) == 1 and word.isalpha() and word.isupper():
        return True  # an initial: "George W. Bush"
    return word.casefold() in _ABBREVIATIONS or bool(_DOTTED.match(word))


def _split_line(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans inside one line of `text` (no newline between start and end)."""
    spans: list[tuple[int, int]] = []
    begin = start
    for match in _BOUNDARY.finditer(text, start, end):
        if _is_abbreviation(text, match.start()):
            continue
        cut = match.end()
        spans.append((begin, cut))
        begin = cut
    spans.append((begin, end))
    return spans


def _bounded(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cut an over-long span at spaces so no sentence exceeds MAX_SENTENCE_CHARS."""
    spans: list[tuple[int, int]] = []
    while end - start > MAX_SENTENCE_CHARS:
        limit = start + MAX_SENTENCE_CHARS
        space = text.rfind(" ", start + MAX_SENTENCE_CHARS // 2, limit)
        cut = space + 1 if space > 0 else limit
        spans.append((start, cut))
        start = cut
    spans.append((start, end))
    return spans


def _trimmed(text: str, start: int, end: int) -> Sentence | None:
    piece = text[start:end]
    stripped = piece.strip()
    if not stripped:
        return None
    start += len(piece) - len(piece.lstrip())
    return Sentence(start, start + len(stripped), stripped)


def split_sentences(text: str) -> list[Sentence]:
    """Split `text` into sentences, each with its offsets into `text`."""
    sentences: list[Sentence] = []
    line_start = 0
    length = len(text)
    while line_start <= length:
        line_end = text.find("\n", line_start)
        if line_end < 0:
            line_end = length
        if line_end > line_start:  # an empty line holds no sentence
            for start, end in _split_line(text, line_start, line_end):
                pieces = _bounded(text, start, end) if end - start > MAX_SENTENCE_CHARS else None
                for piece_start, piece_end in pieces or ((start, end),):
                    sentence = _trimmed(text, piece_start, piece_end)
                    if sentence is not None:
                        sentences.append(sentence)
        line_start = line_end + 1
    return sentences
