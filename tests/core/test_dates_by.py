"""'by <day>': a deadline, unless a past perfect says the change was complete by then."""

from __future__ import annotations

from datetime import date

import pytest

from core.extract.dates import date_near, find_dates

PUBLISHED = date(2020, 2, 22)  # a Saturday: "Thursday" is 20 February


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("By Thursday night the town had been captured.", date(2020, 2, 20)),
        ("Government forces had captured the town by Thursday.", date(2020, 2, 20)),
        ("And by Thursday the army had taken the town.", date(2020, 2, 20)),
        ("By Thursday rebels had already fled the town.", date(2020, 2, 20)),
        # deadlines and plans stay period bounds: no date of their own
        ("The army must withdraw by Thursday, after it had advanced.", None),
        ("Rebels had to leave by Thursday.", None),
        ("Troops will have left by Thursday.", None),
        ("The army took the town and it will be cleared by Thursday.", None),
    ],
)
def test_by_a_day(text: str, expected: date | None) -> None:
    assert date_near(find_dates(text, PUBLISHED), 0, None) == expected
