"""Dates a sentence refers to, resolved against the article's published date.

Relative forms: weekdays ("on Monday" is the Monday on or before the published date, so in a
Tuesday article it is yesterday), "yesterday", "today", "overnight" (the published date: news
reports the night just ended), "a day earlier", "N days ago/earlier", "last week" (published - 7
days), "N weeks ago", "earlier this week" (the Monday of the published week).
A year alone ("in 2012", "last year", "earlier this year") is its 1 January.
Month-only forms resolve to a day by one convention: "in August", "in early February", "at the
start/beginning of February", "earlier this month", "last month" -> the 1st of that month;
"mid-February", "the middle of" -> the 15th; "late February", "at the end of the month" -> the
first day of the month's last week (last day - 6); never after the published date, and without
a year the latest such month not after it ("in August" in a February article is last August).
A bare "May" or "March" is a verb unless a preposition, a modifier or a year anchors it.
Explicit forms: "25 February", "Feb 25", "February 25, 2020", "25/02/2020" (day first unless
that cannot be), "2020-02-25"; without a year, the latest year that does not put the date more
than a month after the published date. A reference preceded by "since", "from", "until", "by"
or "between" opens or closes a period and is not the date of what the sentence reports, except
"by <day>" with a past perfect and no deadline word before it ("By Thursday night the town had
been captured"): that is the day the change was complete. Nor is a wire dateline's date
("BEIRUT, Feb 28 (Reuters) -"): the day the report was filed.

Everything is one precompiled regex; dateparser is not needed for these forms and is far too
slow to run per sentence.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate, compress
from typing import Literal

from core.extract import lowered_for_matching, word_set

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip
_COUNTS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10,
}  # fmt: skip
_MONTH = r"(?:january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?"  # noqa: E501
# Month names that are never ordinary words ('may', 'march' are verbs too: only after a
# preposition or a modifier, or with a year).
_MONTH_NAME = r"(?:january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|aug|sept|sep|oct|nov|dec)\.?(?![\w-])"  # noqa: E501
_COUNT = r"(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d{1,2})"
_PATTERN = re.compile(
    r"\b(?:"
    rf"(?P<dmy>(?P<d1>\d{{1,2}})(?![,.]\d)(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m1>{_MONTH})(?:,?\s+(?P<y1>(?:19|20)\d\d))?)"
    rf"|(?P<mdy>(?P<m2>{_MONTH})\s+(?P<d2>\d{{1,2}})(?![,.]\d)(?:st|nd|rd|th)?\b(?:,?\s+(?P<y2>(?:19|20)\d\d))?)"
    r"|(?P<iso>(?P<y3>(?:19|20)\d\d)-(?P<m3>\d\d)-(?P<d3>\d\d))"
    r"|(?P<slash>(?P<a4>\d{1,2})/(?P<b4>\d{1,2})/(?P<y4>(?:19|20)\d\d))"
    r"|(?P<earlier_week>earlier\s+this\s+week)"
    r"|(?P<this_week>this\s+week)"
    r"|(?P<weekday>(?:(?P<wmod>last|next|this)\s+)?(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday))"
    r"|(?P<yesterday>yesterday)"
    r"|(?P<today>today|tonight|this\s+(?:morning|afternoon|evening))"
    r"|(?P<overnight>overnight)"
    r"|(?P<day_before>(?:a|the)\s+day\s+(?:earlier|before)|the\s+previous\s+day)"
    rf"|(?P<ago>(?P<n>{_COUNT})\s+(?P<unit>day|week|month)s?\s+(?:ago|earlier|before))"
    r"|(?P<last>last\s+(?P<lunit>week|month|year))"
    r"|(?P<this_year>(?:earlier\s+)?this\s+year)"
    r"|(?P<year_only>(?:19|20)\d\d)(?![\d/-])"
    rf"|(?P<month>(?:the\s+)?"
    r"(?:(?P<mmod>early|mid|late|(?:start|beginning|middle|end)\s+of(?:\s+the)?)[\s-]+)?"
    # not before a day of the month ('January 12' is `mdy`'s), but before a count ('In
    # January, 1,227 trucks crossed')
    rf"(?:(?P<m5>{_MONTH_NAME})(?:,?\s+(?P<y5>(?:19|20)\d\d))?"
    r"(?!,?\s*\d{1,2}(?!\d)(?![,.]\d))"
    r"|(?P<mthis>(?:earlier\s+)?this\s+month|month)))"
    r")\b",
    re.IGNORECASE,
)
_PATTERN_LOWER = re.compile(_PATTERN.pattern)  # for lower-cased text: every literal is lower case
_PERIOD_WORDS = ("since", "from", "until", "till", "by", "between", "and", "through", "to")


@dataclass(frozen=True, slots=True)
class DateRef:
    """A date expression in a sentence; `date` is None when it cannot be resolved."""

    start: int
    end: int
    date: date | None
    period: bool = False
    month_only: bool = False


def _shift_months(day: date, months: int) -> date:
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


# How far after the published date a day and month without a year may fall and keep the
# nearer year: a dateline a day ahead of a UTC timestamp ("Feb 28" on an article stamped
# 23:15 UTC on the 27th), a meeting set for next week. Further ahead, it is last year's.
UPCOMING_DAYS = 31


def _infer_year(month: int, day: int, year: str | None, published: date | None) -> date | None:
    if year:
        return _safe_date(int(year), month, day)
    if published is None:
        return None
    latest = published + timedelta(days=UPCOMING_DAYS)
    for candidate_year in (published.year + 1, published.year, published.year - 1):
        candidate = _safe_date(candidate_year, month, day)
        if candidate is not None and candidate <= latest:
            return candidate
    return None


def _month_number(name: str) -> int:
    return MONTHS[name.casefold().rstrip(".")]


def _explicit(match: re.Match[str], published: date | None) -> date | None:
    group = match.group
    if group("dmy"):
        return _infer_year(_month_number(group("m1")), int(group("d1")), group("y1"), published)
    if group("mdy"):
        return _infer_year(_month_number(group("m2")), int(group("d2")), group("y2"), published)
    if group("iso"):
        return _safe_date(int(group("y3")), int(group("m3")), int(group("d3")))
    first, second, year = int(group("a4")), int(group("b4")), int(group("y4"))
    if first <= 12 < second:
        return _safe_date(year, first, second)
    return _safe_date(year, second, first)


def _weekday(match: re.Match[str], published: date) -> date | None:
    modifier = (match.group("wmod") or "").casefold()
    if modifier == "next":
        return None
    back = (published.weekday() - WEEKDAYS.index(match.group("wd").casefold())) % 7
    if back == 0 and modifier == "last":
        back = 7
    return published - timedelta(days=back)


def _ago(match: re.Match[str], published: date) -> date:
    raw = match.group("n").casefold()
    count = int(raw) if raw.isdigit() else _COUNTS[raw]
    unit = match.group("unit").casefold()
    if unit == "month":
        return _shift_months(published, count)
    return published - timedelta(days=count * (7 if unit == "week" else 1))


def _relative(match: re.Match[str], published: date) -> date | None:
    kind = match.lastgroup
    if kind == "weekday":
        return _weekday(match, published)
    if kind in ("today", "overnight", "this_week"):
        return published
    if kind in ("yesterday", "day_before"):
        return published - timedelta(days=1)
    if kind == "earlier_week":
        return published - timedelta(days=published.weekday())
    if kind == "ago":
        return _ago(match, published)
    if kind == "month":
        return _month(match, published)
    if kind == "this_year":
        return date(published.year, 1, 1)
    if kind == "year_only":
        return min(date(int(match.group("year_only")), 1, 1), published)
    unit = match.group("lunit").casefold()
    if unit == "year":
        return date(published.year - 1, 1, 1)
    if unit == "week":
        return published - timedelta(days=7)
    return _shift_months(published, 1).replace(day=1)


def _month(match: re.Match[str], published: date) -> date | None:
    """'in August', 'in early February', 'at the end of the month', 'earlier this month'."""
    name, year = match.group("m5"), match.group("y5")
    if name is None:
        month, years = published.month, [published.year]
    else:
        month = _month_number(name)
        years = [int(year)] if year else [published.year, published.year - 1]
    day = _MONTH_PART_DAY.get((match.group("mmod") or "").casefold().split(" ")[0], 1)
    for y in years:
        last = calendar.monthrange(y, month)[1]
        candidate = date(y, month, last - 6 if day < 0 else day)
        if y != years[0] or date(y, month, 1) <= published:
            return min(candidate, published) if not year else candidate
    return None


def _valid_month(text: str, match: re.Match[str]) -> bool:
    """A bare 'may'/'march' is a verb (a date after 'in', 'since'...); a bare 'month' is no
    date; 'the end of the month' is."""
    if match.lastgroup == "year_only":  # 'in 2012', not 'the 2011 uprising' or '2,000'
        before = text[max(0, match.start() - 8) : match.start()].split()
        return bool(before) and before[-1].casefold() in _MONTH_PREPOSITIONS
    if match.lastgroup != "month":
        return True
    before = text[max(0, match.start() - 8) : match.start()].split()
    after_preposition = bool(before) and before[-1].casefold() in _MONTH_PREPOSITIONS
    anchored = bool(after_preposition or match.group("mmod") or match.group("y5"))
    if match.group("m5") is not None:
        return anchored or match.group("m5").casefold() not in _VERB_MONTHS
    return match.group("mthis").casefold() != "month" or bool(match.group("mmod"))


# Where in a month a month-only reference points: the 1st by default, the 15th for 'mid',
# the start of the last week (-1) for 'late' and 'the end of'.
_MONTH_PART_DAY = {"mid": 15, "middle": 15, "late": -1, "end": -1}
_MONTH_PREPOSITIONS = frozenset(("in", "since", "during", "by", "until", "from", "of", "late"))
_VERB_MONTHS = frozenset(("may", "march", "mar", "jan", "sep", "aug", "dec", "oct", "nov", "feb"))


def _resolve(match: re.Match[str], published: date | None) -> date | None:
    if match.lastgroup in ("dmy", "mdy", "iso", "slash"):
        return _explicit(match, published)
    if match.lastgroup == "year_only" and published is None:
        return date(int(match.group("year_only")), 1, 1)
    if match.lastgroup == "month" and published is None and match.group("y5"):
        # 'in May 2015', 'late February 2020': complete without the article's date
        return _month(match, date(int(match.group("y5")), 12, 31))
    return None if published is None else _relative(match, published)


def _opens_period(text: str, start: int) -> bool:
    before = text[max(0, start - 12) : start].split()
    if before and before[-1].casefold() in ("time", "times"):
        return True  # 'for the second time this month': how often, not when
    if not before or before[-1].casefold() not in _PERIOD_WORDS:
        return False
    return not (before[-1].casefold() == "by" and _completed_by(text, start))


# 'By Thursday night the town had been captured', 'the army had taken it by Monday': a past
# perfect makes "by <day>" the day the change was complete, not a deadline ('must withdraw
# by', 'had to leave by', 'will have taken it by').
_PAST_PERFECT = re.compile(
    r"\bhad\s+(?!to\b)(?:(?:already|been|also|all|finally)\s+)*[a-z]+"
    r"(?:ed|en|ne|wn|ook|ought|ught|ost|eld|ell)\b",
    re.I,
)
_DEADLINE_BEFORE = re.compile(
    r"\b(?:must|will|would|should|shall|to|deadline|ultimatum|until|expected)\b[^,;.]{0,40}$",
    re.I,
)


def _completed_by(text: str, start: int) -> bool:
    """Whether 'by' + the date at `start` dates a completed change (see _PAST_PERFECT)."""
    if _DEADLINE_BEFORE.search(text[max(0, start - 50) : start]):
        return False
    return _PAST_PERFECT.search(text) is not None


_WORD_HEAD = re.compile(r"\b\w{1,3}")
# The first three letters of every word a date expression can start with: the big pattern is
# tried only at those words, not at every position of the sentence.
_START_KEYS = word_set(
    """
    mon tue wed thu fri sat sun jan feb mar apr may jun jul aug sep oct nov dec yes tod ton thi
    ove ear las nex the a one two thr fou fiv six sev eig nin ten mid lat
    """
)
# 'the' and 'a' start a date only before these (first three letters of the next word): 'the
# day before', 'the start of February', 'a week ago'. Checking that first spares the big
# pattern thousands of tries per article.
_AFTER_ARTICLE = word_set("day pre sta beg mid end wee mon")


def _article_starts_date(text: str, after: int) -> bool:
    if text[after : after + 1] not in (" ", "\n", "\t"):
        return False  # 'these', 'then', 'there', 'and'
    return text[after + 1 : after + 4].lower() in _AFTER_ARTICLE


class _StartsDate(dict[str, bool]):
    """Word head (first three characters, lower-cased) -> whether a date can start there."""

    def __missing__(self, key: str) -> bool:
        if len(self) > 50_000:
            self.clear()
        starts = self[key] = key[0].isdigit() or key in _START_KEYS
        return starts


_STARTS_DATE = _StartsDate()
_HEAD_SPLIT = re.compile(r"\b(\w{1,3})")


_THREE_LETTER_KEYS = {k for k in _START_KEYS if len(k) == 3 and k != "the"}
# In lower-cased text, the words a date can start at, found by one regex scan: a digit, a word
# opening with one of _START_KEYS, 'the'/'a' before one of _AFTER_ARTICLE, or a non-ASCII
# word character (those are checked against _START_KEYS like the rest). Keys are grouped by
# first letter so that the engine rejects most positions at once.
_CANDIDATE = re.compile(
    r"(?<!\w)(?:\d|[^\W\x00-\x7f]|(?:the|a)(?=[ \t\n](?:"
    + "|".join(sorted(_AFTER_ARTICLE))
    + "))|"
    + "|".join(
        f"{first}(?:{'|'.join(sorted(k[1:] for k in _THREE_LETTER_KEYS if k[0] == first))})"
        for first in sorted({k[0] for k in _THREE_LETTER_KEYS})
    )
    + ")"
)


def _head(text: str, start: int) -> str:
    """The first three word characters at `start` (fewer if the word is shorter)."""
    match = _WORD_HEAD.match(text, start)
    return match.group() if match is not None else ""


def _candidate_starts(text: str, lowered: str | None) -> Iterator[int]:
    """Offsets of the words whose head (first three characters) can start a date, in order."""
    if lowered is not None:
        for match in _CANDIDATE.finditer(lowered):
            if _STARTS_DATE[_head(lowered, match.start())]:
                yield match.start()
        return
    parts = _HEAD_SPLIT.split(text)
    heads = parts[1::2]
    starts = list(accumulate(map(len, parts), initial=0))[1::2]
    keys = map(_STARTS_DATE.__getitem__, map(str.lower, heads))
    yield from (starts[i] for i in compress(range(len(heads)), keys))


def _matches(text: str) -> Iterator[re.Match[str]]:
    """Date expressions in order, none overlapping (lazily: `first_date` stops at one)."""
    # Only the few words that can start a date are looked at in Python. The lower-cased text,
    # where it is exact (see lowered_for_matching), takes the faster case-sensitive twins.
    lowered = lowered_for_matching(text)
    if lowered is not None:
        yield from _lowered_matches(lowered)
        return
    subject, pattern = text, _PATTERN
    end = 0
    for start in _candidate_starts(text, lowered):
        if start < end:
            continue
        head = _head(subject, start)
        if head.lower() in ("the", "a") and not _article_starts_date(subject, start + len(head)):
            continue
        match = pattern.match(subject, start)
        if match is not None:
            yield match
            end = match.end()


def _lowered_matches(lowered: str) -> Iterator[re.Match[str]]:
    """`_matches` on lower-cased text. There `_CANDIDATE` itself already makes the checks the
    general path makes per word: a digit or a start key opens the word, and 'the'/'a' stand
    before a word of _AFTER_ARTICLE; only a word opening with a non-ASCII letter still needs
    its head looked up."""
    end = 0
    for candidate in _CANDIDATE.finditer(lowered):
        start = candidate.start()
        if start < end:
            continue
        if lowered[start] > "\x7f" and not _STARTS_DATE[_head(lowered, start)]:
            continue
        match = _PATTERN_LOWER.match(lowered, start)
        if match is not None:
            yield match
            end = match.end()


# A wire dateline, "ANKARA/BEIRUT, Feb 28 (Reuters) -": the day the report was filed, not the
# day of what it reports ("... were killed on Thursday evening").
_DATELINE_BEFORE = re.compile(r"\s*[A-Z][A-Z'./ -]*[A-Z](?:,\s*[A-Z][A-Za-z'. -]*)?,\s*")
_DATELINE_AFTER = re.compile(r"\s*(?:\(|[-\u2013\u2014])")


def _in_dateline(text: str, match: re.Match[str]) -> bool:
    return (
        _DATELINE_BEFORE.fullmatch(text, 0, match.start()) is not None
        and _DATELINE_AFTER.match(text, match.end()) is not None
    )


def first_date(text: str) -> date | None:
    """The first date in `text` that resolves without a published date (a complete one: day,
    month and year; 'since 2018' is no date of publication)."""
    for match in _matches(text):
        if match.lastgroup in _EXPLICIT_KINDS and _valid_month(text, match):
            day = _resolve(match, None)
            if day is not None:
                return day
    return None


_EXPLICIT_KINDS = frozenset(("dmy", "mdy", "iso", "slash"))
_WEEKDAY_GLUE = re.compile(r",?\s*(?:the\s+)?")


def find_dates(text: str, published: date | None) -> list[DateRef]:
    """Every date expression in `text`, resolved against `published` where possible."""
    refs: list[DateRef] = []
    weekday: re.Match[str] | None = None  # the weekday just before, if the last ref was one
    for match in _matches(text):
        if not _valid_month(text, match):
            continue
        day = _resolve(match, published)
        start = match.start()
        if weekday is not None and _names_the_weekday(text, weekday, match, day):
            refs.pop()  # 'on Thursday 27 February', 'Thursday, Feb. 27': one date, the explicit
            start = weekday.start()
        period = _opens_period(text, start) or _in_dateline(text, match)
        refs.append(DateRef(start, match.end(), day, period, match.lastgroup == "month"))
        weekday = match if match.lastgroup == "weekday" and not match.group("wmod") else None
    return refs


def _names_the_weekday(
    text: str, weekday: re.Match[str], match: re.Match[str], day: date | None
) -> bool:
    """`match` is the explicit date of the weekday right before it (the day it names)."""
    if match.lastgroup not in _EXPLICIT_KINDS or day is None:
        return False
    return _WEEKDAY_GLUE.fullmatch(text, weekday.end(), match.start()) is not None


# 'three days after', 'a week after': the count and unit of an offset from another event
OFFSET_COUNT = (
    r"(?P<n>a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d{1,2})\s+(?P<unit>day|week)s?"
    r"\s+after"
)
_COUNT_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10,
}  # fmt: skip


def offset_days(match: re.Match[str]) -> int:
    """The days an `OFFSET_COUNT` match counts ('three days' 3, 'two weeks' 14)."""
    raw = match.group("n").casefold()
    count = int(raw) if raw.isdigit() else _COUNT_WORDS[raw]
    return count * (7 if match.group("unit").casefold() == "week" else 1)


def date_precision(day: date | None, refs: Sequence[DateRef]) -> Literal["day", "month"]:
    """ "month" when `day` came from a month-only expression of the sentence ('in August
    2019' is 2019-08-01): such a reference resolves to it and no day-precise one does."""
    if day is None:
        return "day"
    same = [ref for ref in refs if ref.date == day]
    return "month" if same and all(ref.month_only for ref in same) else "day"


def date_near(refs: list[DateRef], position: int, default: date | None) -> date | None:
    """The resolved date nearest to `position` that is not a period bound, else `default`."""
    usable = [ref for ref in refs if ref.date is not None and not ref.period]
    if not usable:
        return default
    nearest = min(usable, key=lambda ref: min(abs(ref.start - position), abs(ref.end - position)))
    return nearest.date
