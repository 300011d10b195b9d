"""The case-sensitive twins that run on lower-cased sentences find exactly what their
IGNORECASE patterns find on the sentence: same spans, same groups, also from a start position,
up to an end position and on a slice (the ways the extractors call them)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.extract import events, initial_grouped, lowered_for_matching, quotes
from core.extract.sentences import split_sentences

ROOT = Path(__file__).resolve().parents[2]

TWINS: list[tuple[str, re.Pattern[str], re.Pattern[str]]] = [
    (name, value.pattern, value.twin)
    for name, value in vars(events).items()
    if isinstance(value, events._Caseless)
] + [
    ("attribution", quotes._ATTRIBUTION, quotes._ATTRIBUTION_LOWER),
    ("reported", quotes._REPORTED, quotes._REPORTED_LOWER),
]

EDGES = [
    "They may 5 attack; it may not. In May 2020 the rebels may retake it, which they deny.",
    "Troops couldn't hold it, whereas rebels failed to; though since then, as before, no.",
    "whichever who's whom: non-which x_who 5who 5 may, 5  may 10 may hours may days",
    'Said the army: "We will take the town back within days", he said on Monday that it fell.',
    "He told reporters in Idlib that the fall of Saraqeb was imminent, according to SANA.",
    "WHEREAS THE REGIME SAID THAT REBELS HAD NOT RETREATED, DENIALS WERE DISMISSED AS FALSE.",
    "Ünless Élite fighters attempt it — ‘they’ rejected, refuted… and never until after.",
]


def _sentences() -> list[str]:
    texts = list(EDGES)
    for path in sorted((ROOT / "sample_data" / "articles").rglob("*")):
        if path.is_file():
            texts.append(path.read_text(encoding="utf-8", errors="replace"))
    return [s.text for text in texts for s in split_sentences(text)]


SENTENCES = _sentences()


def _found(matches: Iterator[re.Match[str]], groups: bool) -> list[tuple[object, ...]]:
    """Each match's span, the kind its last group names (the _GENERIC twin's groups are
    kind_letter markers) and, where the twin has the pattern's groups, their spans (the twin's
    groups hold lower-cased text)."""
    return [
        (m.span(), (m.lastgroup or "").partition("_")[0])
        + (tuple(m.span(i) for i in range(1, m.re.groups + 1)) if groups else ())
        for m in matches
    ]


def _same(pattern: re.Pattern[str], twin: re.Pattern[str], text: str) -> None:
    lowered = lowered_for_matching(text)
    if lowered is None:
        return
    groups = pattern.groups == twin.groups

    def found(matches: Iterator[re.Match[str]]) -> list[tuple[object, ...]]:
        return _found(matches, groups)

    assert found(twin.finditer(lowered)) == found(pattern.finditer(text))
    cuts = {0, 1, 2, len(text) // 2, *[m.end() for m in re.finditer(r"\w+", text)][:8]}
    for cut in cuts:
        assert found(twin.finditer(lowered, 0, cut)) == found(pattern.finditer(text, 0, cut))
        assert found(twin.finditer(lowered, cut)) == found(pattern.finditer(text, cut))
        assert found(twin.finditer(lowered[cut:])) == found(pattern.finditer(text[cut:]))


@pytest.mark.parametrize(("name", "pattern", "twin"), TWINS, ids=[t[0] for t in TWINS])
def test_twin_matches_like_its_pattern(
    name: str, pattern: re.Pattern[str], twin: re.Pattern[str]
) -> None:
    for text in SENTENCES:
        _same(pattern, twin, text)


PIECES = st.sampled_from(
    [
        "may", "May", "5", " ", "  ", ",", ";", ":", "which", "who", "where", "that", "whereas",
        "and", "but", "as", "after", "not", "no", "can", "cannot", "couldn't", "'", "-", "_",
        "said", "says", "told", "that", "on", "Monday", "according", "to", "deny", "denied",
        "false", "days", "hours", "x", "é", "\"", "“", "taking", "restored", "control", "of",
    ]
)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(st.lists(PIECES, max_size=30).map("".join))
def test_twins_agree_on_any_mix(text: str) -> None:
    for _, pattern, twin in TWINS:
        _same(pattern, twin, text)


def test_initial_grouped_keeps_order_within_a_letter() -> None:
    assert (
        initial_grouped(["fail", "failed", "try"]) == r"f(?<!\w.)(?:ail|ailed)\b|t(?<!\w.)(?:ry)\b"
    )


def test_initial_grouped_wants_a_letter_first() -> None:
    with pytest.raises(ValueError, match="letter"):
        initial_grouped([r"\d+", "one"])
