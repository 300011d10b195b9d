"""A day and month without a year take the year that puts them nearest before the article, or
shortly after it: a dateline a day ahead of a UTC timestamp, a meeting set for next week."""

from __future__ import annotations

from datetime import date

import pytest

from core.extract.dates import date_near, find_dates

CASES = [
    # (text, published, expected)
    ("ANKARA, Feb 28 (Wire) - Turkey said", date(2020, 2, 27), date(2020, 2, 28)),
    ("Talks are set for 5 March in Moscow.", date(2020, 2, 27), date(2020, 3, 5)),
    ("The strike on 25 February killed nine.", date(2020, 3, 1), date(2020, 2, 25)),
    ("The truce of December 20 did not hold.", date(2020, 2, 1), date(2019, 12, 20)),
    ("Aid arrives on January 3, officials said.", date(2019, 12, 30), date(2020, 1, 3)),
    ("The offensive began on 1 May, a year ago.", date(2020, 3, 1), date(2019, 5, 1)),
    ("The town fell on 29 February.", date(2021, 3, 10), date(2020, 2, 29)),  # none in 2021
]


@pytest.mark.parametrize(("text", "published", "expected"), CASES)
def test_a_date_without_a_year_takes_the_nearest_sensible_year(text, published, expected):
    refs = find_dates(text, published)
    assert [ref.date for ref in refs] == [expected]


DATELINES = [
    "ANKARA/BEIRUT, Feb 28 (Levant Wire) - At least 33 soldiers were killed on Thursday.",
    "IDLIB, Syria, 28 February (AP) \u2014 At least 33 soldiers were killed on Thursday.",
]


@pytest.mark.parametrize("text", DATELINES)
def test_a_wire_dateline_is_not_the_date_of_what_is_reported(text):
    refs = find_dates(text, date(2020, 2, 27))
    dateline, thursday = refs
    assert (dateline.date, dateline.period) == (date(2020, 2, 28), True)
    assert date_near(refs, text.index("33"), None) == thursday.date == date(2020, 2, 27)


def test_a_date_at_the_start_of_an_ordinary_sentence_is_its_date():
    text = "On Feb 25 - a Tuesday - shelling killed nine in Ariha."
    refs = find_dates(text, date(2020, 2, 27))
    assert date_near(refs, text.index("nine"), None) == date(2020, 2, 25)
