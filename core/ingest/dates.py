"""Recognising the date line of an article header and a wire dateline's date.

Only short lines shaped like a date are handed to dateparser (English month names), so a
headline that merely mentions a month is never taken for the publication date.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import dateparser

_MONTH = r"[A-Za-z]{3,9}\.?"
_PREFIX = re.compile(
    r"^(?:(?:published|posted|updated|last updated|date|dated)(?:\s+on)?\s*[:\-–]?\s*)",
    re.IGNORECASE,
)
_WEEKDAY = re.compile(r"^(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+", re.IGNORECASE)
_DATE_START = re.compile(
    rf"^(?:\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+\d{{4}}"
    rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    r"|\d{4}-\d{2}-\d{2})"
)
_MAX_DATE_LINE = 64
_SETTINGS: Any = {
    "RETURN_AS_TIMEZONE_AWARE": True,
    "TIMEZONE": "UTC",
    "TO_TIMEZONE": "UTC",
    "REQUIRE_PARTS": ["day", "month", "year"],
}
_MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}
_FILENAME_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})-(\d{2})-(\d{2})(?!\d)")


def parse_date_line(line: str) -> datetime | None:
    """The publication time on a header line ("25 February, 2020", "Feb 25, 2020", ISO)."""
    if len(line) > _MAX_DATE_LINE:
        return None
    candidate = _WEEKDAY.sub("", _PREFIX.sub("", line.strip()))
    if not _DATE_START.match(candidate):
        return None
    candidate = candidate.replace("|", " ").replace(" at ", " ")
    return _parse(candidate) or _parse(_DATE_START.match(candidate).group(0))  # type: ignore[union-attr]


def _parse(text: str) -> datetime | None:
    found = dateparser.parse(text, languages=["en"], settings=_SETTINGS)
    return found.astimezone(UTC) if found is not None else None


def month_day(month: str, day: str, year: int) -> datetime | None:
    """UTC midnight of `day` `month` (any English abbreviation) in `year`, if it exists."""
    number = _MONTHS.get(month[:3].lower())
    if number is None:
        return None
    try:
        return datetime(year, number, int(day), tzinfo=UTC)
    except ValueError:
        return None


def filename_date(name: str) -> datetime | None:
    """A YYYY-MM-DD date in a file name (a common way to save articles), as UTC midnight."""
    match = _FILENAME_DATE.search(name)
    if match is None:
        return None
    try:
        year, month, day = (int(part) for part in match.groups())
        return datetime(year, month, day, tzinfo=UTC)
    except ValueError:
        return None
