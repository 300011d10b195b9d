"""Property tests: extraction never raises and never hangs, whatever the text."""

from __future__ import annotations

import logging
import time
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_extract_pipeline_support import fake_matchers

from core.extract.numbers import find_numbers, parse_number, tokenize
from core.extract.pipeline import Extractor
from core.extract.sentences import MAX_SENTENCE_CHARS, split_sentences
from core.models import Extraction

EXTRACTOR = Extractor(matchers=fake_matchers())
# Generous bound: real articles take well under a millisecond; a catastrophic regex takes minutes.
TIME_LIMIT_S = 2.0

WORDS = st.sampled_from(
    [
        "killed", "wounded", "five", "million", "dozens", "of", "at", "least", "more", "than",
        "including", "children", "civilians", "captured", "fell", "to", "Saraqeb", "Ariha",
        "regime", "forces", "rebels", "it", "was", "by", "on", "Monday", "said", '"', "“", "”",
        ",", ".", ";", "-", "between", "and", "from", "3.6", "900,000", "1,200", "12-year-old",
        "M4", "the", "town", "of", "HTS", "we", "they", "told", "Reuters", "up", "out", "held",
        "off", "an", "assault", "a", "hundred", "tens", "thousands", "9" * 40, "\n", "U.S.",
    ]
)  # fmt: skip


def _extract_checked(text: str) -> Extraction:
    started = time.perf_counter()
    result = EXTRACTOR.extract_text(text, date(2020, 2, 25))
    assert time.perf_counter() - started < TIME_LIMIT_S
    return result


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=3_000))
def test_never_raises_on_arbitrary_text(text: str) -> None:
    assert isinstance(_extract_checked(text), Extraction)


@settings(max_examples=300, deadline=None)
@given(st.lists(WORDS, max_size=200).map(" ".join))
def test_never_raises_on_word_salad(text: str) -> None:
    result = _extract_checked(text)
    for figure in result.figures:
        assert figure.value >= 0
        assert figure.low is None or figure.low <= figure.value
        assert figure.high is None or figure.value <= figure.high
        assert figure.sentence and figure.sentence in text


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_number_parsing_is_total(text: str) -> None:
    for span in find_numbers(tokenize(text)):
        assert 0 <= span.start <= span.end <= len(text)
    parse_number(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=5_000))
def test_sentences_cover_text_with_exact_offsets(text: str) -> None:
    for sentence in split_sentences(text):
        assert text[sentence.start : sentence.end] == sentence.text
        assert len(sentence.text) <= MAX_SENTENCE_CHARS


@pytest.mark.parametrize(
    "text",
    [
        "9" * 500,
        "killed " + "9" * 500 + " people",
        "1," * 5_000,
        '"' * 10_000,
        "“" * 3_000 + "”" * 3_000,
        "(" * 5_000 + ")" * 5_000,
        "." * 20_000,
        "!?" * 10_000,
        "- " * 10_000,
        "and " * 10_000,
        "dozens of " * 3_000,
        "killed five civilians, " * 2_000,
        "Regime forces captured Saraqeb and " * 1_000,
        "the town of " * 3_000 + "Saraqeb",
        "a" * 100_000,
        "\n" * 50_000,
        "one and a half " * 2_000 + "million",
    ],
    ids=lambda t: repr(t[:15]),
)
def test_hostile_inputs_finish_quickly(text: str) -> None:
    _extract_checked(text)


@settings(max_examples=400, deadline=None)
@given(st.lists(WORDS, max_size=120).map(" ".join))
def test_no_sentence_is_skipped_by_a_bug(text: str) -> None:
    """The per-sentence guard must never be what keeps extraction alive: no extractor raises."""
    with _capture_failures() as failures:
        EXTRACTOR.extract_text(text, date(2020, 2, 25))
    assert failures == []


class _capture_failures:
    """Collect 'extraction failed' log records (hypothesis and caplog do not mix well)."""

    def __enter__(self) -> list[logging.LogRecord]:
        self.records: list[logging.LogRecord] = []
        self.handler = logging.Handler()
        self.handler.emit = self.records.append  # type: ignore[method-assign]
        logging.getLogger("core.extract.pipeline").addHandler(self.handler)
        return self.records

    def __exit__(self, *exc: object) -> None:
        logging.getLogger("core.extract.pipeline").removeHandler(self.handler)
