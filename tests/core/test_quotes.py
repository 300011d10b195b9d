"""Quotes and reported statements attributed to actors (for actor summaries)."""

from __future__ import annotations

from datetime import date

import pytest
from test_extract_pipeline_support import fake_matchers

from core.extract.pipeline import Extractor

TUESDAY = date(2020, 2, 25)


def _quotes(text: str) -> list[tuple[str, str, str]]:
    extraction = Extractor(matchers=fake_matchers()).extract_text(text, TUESDAY)
    return [(q.actor, q.speaker, q.text) for q in extraction.quotes]


CASES = [
    (
        '"We will not allow a new wave of refugees," Erdogan told reporters in Ankara.',
        [("Turkey", "Erdogan", "We will not allow a new wave of refugees")],
    ),
    # reported speech keeps a word it quotes
    (
        'Erdogan said 2,100 regime troops had been "neutralised" in the operation.',
        [("Turkey", "Erdogan", '2,100 regime troops had been "neutralised" in the operation')],
    ),
    (
        '"The town is back in our hands after heavy fighting," Ahmed Saleh, a spokesman for the '
        "Syrian National Army, told Reuters.",
        [
            (
                "Syrian National Army",
                "Ahmed Saleh",
                "The town is back in our hands after heavy fighting",
            )
        ],
    ),
    (
        "The United Nations said on Monday that the fighting was moving closer to the camps.",
        [("United Nations", "United Nations", "the fighting was moving closer to the camps")],
    ),
    (
        "Aid is running out, according to the White Helmets, who said "
        '"we cannot cope much longer".',
        [("White Helmets", "White Helmets", "we cannot cope much longer")],
    ),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0][:40] for c in CASES])
def test_attributed_quote(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert _quotes(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Clashes continued near the town on Monday.",
        '"We will hold the line," a resident said.',  # no actor
        'A source claimed "dozens" of fighters were killed.',  # one quoted word is emphasis
    ],
)
def test_no_quote(text: str) -> None:
    assert _quotes(text) == []


def test_quote_is_dated_and_carries_the_url() -> None:
    extractor = Extractor(matchers=fake_matchers())
    from core.models import Article

    article = Article(
        url="https://example.org/a",
        title="Talks",
        body="Turkey said on Monday that it had sent more troops to the border.",
        published=TUESDAY.isoformat(),
    )
    quote = extractor.extract(article).quotes[0]
    assert (quote.date, quote.url) == (date(2020, 2, 24), "https://example.org/a")


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            "The Syrian Observatory for Human Rights said dozens of fighters had been killed.",
            "Syrian Observatory for Human Rights",  # not a person called "Human Rights"
        ),
        (
            "The head of the Syrian Observatory for Human Rights Rami Abdel Rahman said dozens "
            "of fighters had been killed.",
            "Rami Abdel Rahman",
        ),
    ],
)
def test_words_of_an_actors_name_are_not_a_person(text: str, speaker: str) -> None:
    quotes = Extractor().extract_text(text, TUESDAY).quotes
    assert [(q.actor, q.speaker) for q in quotes] == [
        ("Syrian Observatory for Human Rights", speaker)
    ]
