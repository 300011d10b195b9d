"""Date references resolved against the published date (2020-02-25 is a Tuesday)."""

from __future__ import annotations

from datetime import date

import pytest

from core.extract.dates import date_near, find_dates

TUESDAY = date(2020, 2, 25)

CASES = [
    ("on Monday", date(2020, 2, 24)),
    ("on Tuesday", TUESDAY),
    ("early Tuesday", TUESDAY),
    ("on Wednesday", date(2020, 2, 19)),
    ("on Sunday", date(2020, 2, 23)),
    ("last Tuesday", date(2020, 2, 18)),
    ("Monday's strike", date(2020, 2, 24)),
    ("yesterday", date(2020, 2, 24)),
    ("today", TUESDAY),
    ("this morning", TUESDAY),
    ("tonight", TUESDAY),
    ("overnight", TUESDAY),
    ("a day earlier", date(2020, 2, 24)),
    ("the day before", date(2020, 2, 24)),
    ("the previous day", date(2020, 2, 24)),
    ("two days ago", date(2020, 2, 23)),
    ("3 days earlier", date(2020, 2, 22)),
    ("a week ago", date(2020, 2, 18)),
    ("three weeks earlier", date(2020, 2, 4)),
    ("last week", date(2020, 2, 18)),
    ("last month", date(2020, 1, 1)),
    ("a month ago", date(2020, 1, 25)),
    ("earlier this week", date(2020, 2, 24)),
    ("this week", TUESDAY),
    ("25 February", TUESDAY),
    ("on 24th February", date(2020, 2, 24)),
    ("Feb 25", TUESDAY),
    ("Feb. 20", date(2020, 2, 20)),
    ("February 25, 2020", TUESDAY),
    ("25 February 2020", TUESDAY),
    ("25/02/2020", TUESDAY),
    ("02/25/2020", TUESDAY),
    ("2020-02-25", TUESDAY),
    ("December 28", date(2019, 12, 28)),  # year inferred: latest not after published
    ("on 5 March", date(2020, 3, 5)),  # next week (the Moscow summit), not last year
    ("March 5, 2020", date(2020, 3, 5)),  # an explicit year is kept
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_resolves(text: str, expected: date) -> None:
    refs = find_dates(f"It happened {text}.", TUESDAY)
    assert [r.date for r in refs] == [expected]


# Month-only references: the 1st of the month (the latest such month not after the published
# date), the 15th for 'mid', the start of the last week for 'late' / 'the end of'.
MONTH_ONLY = [
    ("Khan Sheikhoun fell in August.", date(2019, 8, 1)),
    ("regime forces took it in early February", date(2020, 2, 1)),
    ("at the start of the month", date(2020, 2, 1)),
    ("at the beginning of February", date(2020, 2, 1)),
    ("earlier this month", date(2020, 2, 1)),
    ("in December", date(2019, 12, 1)),
    ("in mid-January", date(2020, 1, 15)),
    ("in late January", date(2020, 1, 25)),
    ("at the end of January", date(2020, 1, 25)),
    ("in March 2019", date(2019, 3, 1)),
    ("in late February", date(2020, 2, 23)),
    ("it fell to the army last year", date(2019, 1, 1)),
    ("earlier this year", date(2020, 1, 1)),
    ("rebels took the town in 2015", date(2015, 1, 1)),
    # a count right after the month is not its day
    ("In January, 1,227 aid trucks crossed", date(2020, 1, 1)),
    ("In January 1,227 aid trucks crossed", date(2020, 1, 1)),
    ("In December, 300,000 people fled", date(2019, 12, 1)),
]


@pytest.mark.parametrize(("text", "expected"), MONTH_ONLY)
def test_month_only_reference(text: str, expected: date) -> None:
    refs = find_dates(text, TUESDAY)
    assert [r.date for r in refs] == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "The army may take the town",
        "Protesters march to the square",
        "over the month",
        "the 2011 uprising",
        "2000 people fled",
        # a comma and a small number after a month could be its day: no date rather than a
        # wrong one
        "In January, 12 people died",
        "talks can begin January 22Opposition",
    ],
)
def test_month_words_that_are_not_dates(text: str) -> None:
    assert find_dates(text, TUESDAY) == []


def test_since_a_month_opens_a_period() -> None:
    assert find_dates("since the start of February", TUESDAY)[0].period


def test_monday_in_a_monday_article_is_that_day() -> None:
    assert find_dates("on Monday", date(2020, 2, 24))[0].date == date(2020, 2, 24)


def test_next_weekday_is_not_a_past_event() -> None:
    assert find_dates("talks next Friday", TUESDAY)[0].date is None


def test_relative_dates_need_a_published_date() -> None:
    assert find_dates("on Monday", None)[0].date is None
    assert find_dates("on 25 February 2020", None)[0].date == TUESDAY


def test_invalid_calendar_dates_do_not_raise() -> None:
    assert find_dates("31/02/2020 and 2020-13-45", TUESDAY)[0].date is None


@pytest.mark.parametrize(
    "text", ["since December 1", "between December 12 and 25", "until March 5"]
)
def test_period_bounds_do_not_date_the_sentence(text: str) -> None:
    refs = find_dates(f"235,000 people were displaced {text}", TUESDAY)
    assert date_near(refs, 0, TUESDAY) == TUESDAY


def test_nearest_reference_wins() -> None:
    text = "The UN said on Monday that 30 people were killed on Sunday in Ariha."
    refs = find_dates(text, TUESDAY)
    assert date_near(refs, text.index("killed"), TUESDAY) == date(2020, 2, 23)
    assert date_near([], 5, TUESDAY) == TUESDAY


@pytest.mark.parametrize("prefix", ["", "İdlib: ", "Kelvin K, ſ and ı: ", "Ünal said "])
def test_dates_do_not_depend_on_case_or_on_letters_that_fold_oddly(prefix: str) -> None:
    """Upper-case text, and text holding letters that case-fold irregularly (dotted and dotless
    i, long s, Kelvin sign), gives the same dates at the same offsets."""
    sentence = "The shelling began on Monday, two days after 21 February, and went on overnight."
    expected = [(ref.start, ref.date) for ref in find_dates(sentence, TUESDAY)]
    assert len(expected) == 3
    for text in (prefix + sentence, prefix + sentence.upper()):
        found = [(ref.start - len(prefix), ref.date) for ref in find_dates(text, TUESDAY)]
        assert found == expected


def test_weekdays_count_from_the_local_day_of_a_late_utc_stamp() -> None:
    """23:30 UTC on Tuesday 25 February 2020 is 01:30 on Wednesday in Damascus: "on
    Wednesday" is that day, not the Wednesday before; "on Tuesday" stays Tuesday."""
    from datetime import UTC, datetime

    from core.extract.pipeline import Extractor
    from core.models import Article

    body = "Regime forces captured Kafr Nabl on Wednesday after taking Hass on Tuesday."
    article = Article(
        url="https://example.org/late", title="Late edition", body=body, source="Wire",
        published=datetime(2020, 2, 25, 23, 30, tzinfo=UTC),
    )  # fmt: skip
    events = Extractor().extract(article).events
    assert [(e.place, e.date) for e in events] == [
        ("Kafr Nabl", date(2020, 2, 26)),
        ("Hass", date(2020, 2, 25)),
    ]


def test_a_month_with_its_year_needs_no_published_date() -> None:
    from core.extract.dates import find_dates

    refs = find_dates("Daesh captured Palmyra in May 2015 and lost it in late March 2016.", None)
    assert [r.date for r in refs] == [date(2015, 5, 1), date(2016, 3, 25)]


def test_a_date_from_a_month_alone_is_a_month() -> None:
    from core.extract.dates import date_precision, find_dates

    published = date(2020, 3, 1)
    refs = find_dates(
        "Troops took the town in August 2019 and the village on 6 February.", published
    )
    assert date_precision(date(2019, 8, 1), refs) == "month"
    assert date_precision(date(2020, 2, 6), refs) == "day"
    assert date_precision(published, refs) == "day"  # the article's day: no month named it
    assert date_precision(None, refs) == "day"
