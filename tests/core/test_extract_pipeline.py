"""The Extractor end to end on a short article written for this test."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from test_extract_pipeline_support import fake_matchers

from core.extract.pipeline import Extractor, article_text
from core.extract.sentences import MAX_SENTENCE_CHARS, split_sentences
from core.models import Article

ARTICLE = Article(
    url="https://news.example/idlib-1",
    source="Example News",
    title="Rebels hold on to Saraqeb as thousands flee",
    published=datetime(2020, 2, 25, 9, 30, tzinfo=UTC),
    body=(
        "2 min read\n"
        "Opposition fighters held off a fresh regime assault on Saraqeb early Tuesday, a day "
        "after they recaptured it.\n\n"
        "Russian jets killed seven civilians, including three children, in Ariha on Monday, the "
        "White Helmets said.\n\n"
        '"We will not give up the town," a commander of the Syrian National Army told '
        "reporters.\n\n"
        "The UN said some 900,000 people had fled their homes since December, and it hoped to "
        "send between 100 and 150 trucks of aid a day through the border.\n\n"
        "Ankara has sent 7,000 troops and announced a four-way summit for 5 March."
    ),
)


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(matchers=fake_matchers())


def test_figures_of_the_article(extractor: Extractor) -> None:
    figures = extractor.extract(ARTICLE).figures
    rows = [(f.category, f.value, f.qualifier, f.group, f.place, f.actor, f.date) for f in figures]
    assert rows == [
        ("displaced", 1_000, "at_least", "people", "Saraqeb", None, date(2020, 2, 25)),
        ("killed", 7, "exact", "civilians", "Ariha", "Russia", date(2020, 2, 24)),
        ("killed", 3, "exact", "children", "Ariha", "Russia", date(2020, 2, 24)),
        ("displaced", 900_000, "approx", "people", None, None, date(2020, 2, 25)),
        ("aid", 100, "range", "trucks", None, None, date(2020, 2, 25)),
    ]
    assert all(f.url == ARTICLE.url and f.source == "Example News" for f in figures)
    assert figures[1].sentence.startswith("Russian jets killed seven civilians")


def test_events_of_the_article(extractor: Extractor) -> None:
    events = extractor.extract(ARTICLE).events
    rows = [(e.place, e.actor, e.side, e.verb, e.date) for e in events]
    assert rows == [
        ("Saraqeb", "Syrian opposition", "opposition", "held off", date(2020, 2, 25)),
        ("Saraqeb", "Syrian opposition", "opposition", "recaptured", date(2020, 2, 24)),
    ]
    assert {(e.url, e.source) for e in events} == {(ARTICLE.url, ARTICLE.source)}


def test_places_actors_and_quotes_of_the_article(extractor: Extractor) -> None:
    extraction = extractor.extract(ARTICLE)
    assert [m.place for m in extraction.places][:2] == ["Saraqeb", "Saraqeb"]
    assert "White Helmets" in {m.actor for m in extraction.actors}
    assert next((q.actor, q.text) for q in extraction.quotes) == (
        "Syrian National Army",
        "We will not give up the town",
    )


def test_extraction_is_deterministic(extractor: Extractor) -> None:
    first = extractor.extract(ARTICLE).model_dump()
    assert all(extractor.extract(ARTICLE).model_dump() == first for _ in range(3))


def test_title_repeated_in_body_is_read_once(extractor: Extractor) -> None:
    article = ARTICLE.model_copy(update={"body": ARTICLE.title + "\n" + ARTICLE.body})
    assert article_text(article) == article.body
    assert len(extractor.extract(article).figures) == 5


def test_without_a_published_date_relative_dates_stay_unknown(extractor: Extractor) -> None:
    extraction = extractor.extract_text("Russian jets killed five civilians in Ariha on Monday.")
    assert [(f.value, f.date) for f in extraction.figures] == [(5, None)]


def test_a_dateline_stands_in_for_a_missing_published_date(extractor: Extractor) -> None:
    text = "Strikes on Ariha\n25 February, 2020\nRussian jets killed five civilians on Monday."
    assert [f.date for f in extractor.extract_text(text).figures] == [date(2020, 2, 24)]
    given = extractor.extract_text(text, date(2020, 3, 4)).figures
    assert [f.date for f in given] == [date(2020, 3, 2)]


def test_a_year_near_the_top_is_no_dateline(extractor: Extractor) -> None:
    text = "Toll rises\nSome 3,000 civilians have been killed since 2018.\nTwo died on Sunday."
    assert [f.date for f in extractor.extract_text(text).figures] == [None, None]


class _Exploding:
    def find(self, text: str) -> list:  # type: ignore[type-arg]
        raise RuntimeError("boom")


def test_a_failing_matcher_costs_mentions_not_the_article() -> None:
    extractor = Extractor(matchers=(_Exploding(), _Exploding()))
    extraction = extractor.extract_text("Air strikes killed five civilians.", date(2020, 2, 25))
    assert [f.value for f in extraction.figures] == [5]


def test_a_bug_in_one_sentence_skips_only_that_sentence(monkeypatch: pytest.MonkeyPatch) -> None:
    import core.extract.pipeline as pipeline

    real = pipeline.find_figures

    def flaky(text: str, *args: object, **kwargs: object) -> list:  # type: ignore[type-arg]
        if "Sarmin" in text:
            raise ValueError("bug")
        return real(text, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "find_figures", flaky)
    text = "Shelling killed four people in Sarmin. Strikes killed six people in Ariha."
    figures = Extractor(matchers=fake_matchers()).extract_text(text).figures
    assert [(f.value, f.place) for f in figures] == [(6, "Ariha")]


def test_default_profile_matchers() -> None:
    extraction = Extractor().extract_text(
        "Syrian troops captured Maaret al-Nouman on Tuesday.", date(2020, 1, 28)
    )
    assert [(e.place, e.side) for e in extraction.events] == [("Maarat al-Numan", "government")]


# ---- sentence splitting


SENTENCES = [
    (
        "The U.S. envoy arrived. He met Gen. Smith in Idlib.",
        ["The U.S. envoy arrived.", "He met Gen. Smith in Idlib."],
    ),
    ("Some 3.6 million people. No. 5 was hit.", ["Some 3.6 million people.", "No. 5 was hit."]),
    (
        "Talks on Feb. 25 failed. The U.N. said so.",
        ["Talks on Feb. 25 failed.", "The U.N. said so."],
    ),
    ('"It is over." Then he left!', ['"It is over."', "Then he left!"]),
    ("George W. Bush spoke. Dr. Ali agreed.", ["George W. Bush spoke.", "Dr. Ali agreed."]),
    ("Headline without stop\nBody starts here.", ["Headline without stop", "Body starts here."]),
    ("lower case after stop. does not split", ["lower case after stop. does not split"]),
]


@pytest.mark.parametrize(("text", "expected"), SENTENCES, ids=[s[0][:30] for s in SENTENCES])
def test_sentences(text: str, expected: list[str]) -> None:
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == expected
    assert all(text[s.start : s.end] == s.text for s in sentences)


def test_over_long_sentences_are_cut() -> None:
    text = "word " * 3_000
    sentences = split_sentences(text)
    assert len(sentences) > 1
    assert max(len(s.text) for s in sentences) <= MAX_SENTENCE_CHARS


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "it" means the sentence's topic (its first place), not the last place it named.
        (
            "Saraqib sits where the M5 meets the road to Aleppo. "
            "Government forces captured it on 6 February.",
            [("Saraqeb", "government", date(2020, 2, 6))],
        ),
        # A holder named only by a common noun still makes an event (no actor mention).
        (
            "The factions retook Saraqeb on Thursday.",
            [("Saraqeb", "opposition", date(2020, 2, 27))],
        ),
    ],
)
def test_events_with_the_default_profile(text: str, expected: list[tuple[str, str, date]]) -> None:
    found = Extractor().extract_text(text, date(2020, 3, 1))
    assert [(e.place, e.side, e.date) for e in found.events] == expected


# a running total is as of the article, not of the day its period began; a figure inside the
# 'since ...' phrase keeps that phrase's date
FIGURE_DATES = [
    (
        "At least 405 soldiers have been killed since the start of the operation on 19 December.",
        date(2020, 2, 11),
    ),
    (
        "More than 380,000 people have been killed since the conflict began in March 2011.",
        date(2020, 2, 11),
    ),
    ("Since the offensive began on 1 December, 700,000 people have fled.", date(2020, 2, 11)),
    (
        "It was the deadliest raid since an air strike killed 30 people in Ariha on 15 January.",
        date(2020, 1, 15),
    ),
    ("On Monday 12 people were killed in Ariha.", date(2020, 2, 10)),
    # a present perfect counts up to now: a month long past opens the count
    (
        "Nearly a million people have been displaced when the offensive began in April 2019.",
        date(2020, 2, 11),
    ),
    ("In April 2019, 300,000 people were displaced.", date(2019, 4, 1)),
    # an offset counts back from the sentence's date (the article's when it gives none)
    (
        "The ceasefire comes a week after 34 soldiers were killed in an air strike.",
        date(2020, 2, 4),
    ),
    ("On Monday talks began, two days after 12 people died in Ariha.", date(2020, 2, 8)),
    ("It came a week after a similar attack killed eight soldiers.", date(2020, 2, 4)),
    # a total of this month is as of the article; a named month is that month
    ("Thirteen soldiers have been killed by Syrian fire this month.", date(2020, 2, 11)),
    ("In early February 5,000 people fled Ariha.", date(2020, 2, 1)),
]


@pytest.mark.parametrize(("text", "expected"), FIGURE_DATES)
def test_figure_dates(extractor: Extractor, text: str, expected: date) -> None:
    figures = extractor.extract_text(text, date(2020, 2, 11)).figures
    assert [f.date for f in figures] == [expected]


def test_people_displaced_are_not_placed_on_a_road() -> None:
    """A road is where things happen (a convoy hit on the M5), not where the displaced are."""
    extractor = Extractor()
    watching = extractor.extract_text("Some 900,000 displaced people are watching the M4 highway.")
    assert [(f.category, f.place) for f in watching.figures] == [("displaced", None)]
    convoy = extractor.extract_text("An air strike on a convoy on the M5 highway killed three.")
    assert [(f.category, f.place) for f in convoy.figures] == [("killed", "M5 highway")]


def test_a_key_figures_list_places_each_item_on_its_own() -> None:
    """'KEY FIGURES: 960,000 displaced | UN target of 100 trucks through Bab al-Hawa': the
    displaced are not at the crossing another item names."""
    text = (
        "KEY FIGURES: nearly 960,000 people displaced since December | 81 per cent women and"
        " children | 1,200 trucks crossed through Bab al-Hawa in February"
    )
    figures = Extractor().extract_text(text, date(2020, 3, 9)).figures
    assert {(f.category, f.value, f.place) for f in figures} == {
        ("displaced", 960000, None),
        ("aid", 1200, "Bab al-Hawa"),
    }
