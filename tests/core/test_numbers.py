"""Number expressions: each case is text -> (value, low, high, qualifier), per the conventions."""

from __future__ import annotations

import pytest

from core.extract.numbers import find_numbers, parse_number, tokenize

CASES = [
    # digits
    ("5", (5, 5, 5, "exact")),
    ("900,000", (900_000, 900_000, 900_000, "exact")),
    ("900 000", (900_000, 900_000, 900_000, "exact")),
    ("1,200", (1_200, 1_200, 1_200, "exact")),
    ("50000", (50_000, 50_000, 50_000, "exact")),
    ("3.6 million", (3_600_000, 3_600_000, 3_600_000, "exact")),
    ("1.5m", (1_500_000, 1_500_000, 1_500_000, "exact")),
    ("2 million", (2_000_000, 2_000_000, 2_000_000, "exact")),
    ("2.8 mln", (2_800_000, 2_800_000, 2_800_000, "exact")),
    ("5k", (5_000, 5_000, 5_000, "exact")),
    ("10 thousand", (10_000, 10_000, 10_000, "exact")),
    # words
    ("one", (1, 1, 1, "exact")),
    ("five", (5, 5, 5, "exact")),
    ("Five", (5, 5, 5, "exact")),
    ("sixteen", (16, 16, 16, "exact")),
    ("twenty", (20, 20, 20, "exact")),
    ("twenty-three", (23, 23, 23, "exact")),
    ("Seventy-two", (72, 72, 72, "exact")),
    ("twenty five", (25, 25, 25, "exact")),
    ("a hundred", (100, 100, 100, "exact")),
    ("one hundred and fifty", (150, 150, 150, "exact")),
    ("a thousand", (1_000, 1_000, 1_000, "exact")),
    ("two thousand", (2_000, 2_000, 2_000, "exact")),
    ("two thousand five hundred", (2_500, 2_500, 2_500, "exact")),
    ("three hundred thousand", (300_000, 300_000, 300_000, "exact")),
    ("a million", (1_000_000, 1_000_000, 1_000_000, "exact")),
    ("one and a half million", (1_500_000, 1_500_000, 1_500_000, "exact")),
    ("half a million", (500_000, 500_000, 500_000, "exact")),
    ("a quarter of a million", (250_000, 250_000, 250_000, "exact")),
    ("a third of a million", (333_333, 333_333, 333_333, "exact")),
    ("two thirds of a million", (666_667, 666_667, 666_667, "exact")),
    ("a dozen", (12, 12, 12, "exact")),
    # vague words: the most conservative reading, open above
    ("dozens", (12, 12, None, "at_least")),
    ("hundreds", (100, 100, None, "at_least")),
    ("thousands", (1_000, 1_000, None, "at_least")),
    ("millions", (1_000_000, 1_000_000, None, "at_least")),
    ("tens of thousands", (10_000, 10_000, None, "at_least")),
    ("hundreds of thousands", (100_000, 100_000, None, "at_least")),
    ("several hundred", (100, 100, None, "at_least")),
    ("a few thousand", (1_000, 1_000, None, "at_least")),
    # qualifiers
    ("nearly a million", (1_000_000, 1_000_000, 1_000_000, "approx")),
    ("almost 50", (50, 50, 50, "approx")),
    ("about 10,000", (10_000, 10_000, 10_000, "approx")),
    ("around 37,000", (37_000, 37_000, 37_000, "approx")),
    ("some 900,000", (900_000, 900_000, 900_000, "approx")),
    ("roughly 3,000", (3_000, 3_000, 3_000, "approx")),
    ("approximately 40", (40, 40, 40, "approx")),
    ("an estimated 40", (40, 40, 40, "approx")),
    ("as many as 16", (16, 16, 16, "approx")),
    ("at least 33", (33, 33, None, "at_least")),
    ("more than 900,000", (900_000, 900_000, None, "at_least")),
    ("more than a dozen", (12, 12, None, "at_least")),
    ("over 100", (100, 100, None, "at_least")),
    ("upwards of 200", (200, 200, None, "at_least")),
    ("no fewer than 20", (20, 20, None, "at_least")),
    ("up to 300", (300, None, 300, "at_most")),
    ("fewer than 1,000", (1_000, None, 1_000, "at_most")),
    ("less than 10", (10, None, 10, "at_most")),
    ("at least dozens", (12, 12, None, "at_least")),
    ("nearly hundreds", (100, 100, None, "at_least")),
    # ranges: value is the low end
    ("from 50 to 100", (50, 50, 100, "range")),
    ("between 20 and 30", (20, 20, 30, "range")),
    ("50-100", (50, 50, 100, "range")),
    ("20 to 30", (20, 20, 30, "range")),
    ("two or three", (2, 2, 3, "range")),
    ("between 1.5 and 2 million", (1_500_000, 1_500_000, 2_000_000, "range")),
    ("fifteen to twenty", (15, 15, 20, "range")),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_parse_number(text: str, expected: tuple[int, int | None, int | None, str]) -> None:
    span = parse_number(text)
    assert span is not None, text
    assert (span.value, span.low, span.high, span.qualifier) == expected


NOT_NUMBERS = [
    "four-party",
    "four-way",
    "M4",
    "Su-24",
    "COVID-19",
    "10km",
    "3rd",
    "5pm",
    "9" * 500,
    "a",
    "hundred",
    "thousand",
    "scores",
    "one-sided",
]


@pytest.mark.parametrize("text", NOT_NUMBERS)
def test_not_a_count(text: str) -> None:
    assert parse_number(text) is None


def test_numbers_found_in_a_sentence_in_order_with_offsets() -> None:
    text = "Some 7,000 troops and hundreds of vehicles, and five more on the M4."
    spans = find_numbers(tokenize(text))
    assert [(s.value, s.qualifier) for s in spans] == [
        (7_000, "approx"),
        (100, "at_least"),
        (5, "exact"),
    ]
    assert text[spans[0].start : spans[0].end] == "Some 7,000"


def test_huge_digit_runs_are_not_numbers() -> None:
    assert find_numbers(tokenize("killed " + "9" * 5000 + " people")) == []
