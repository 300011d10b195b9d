"""Number expressions: digits, words, vague quantities, qualifiers and ranges.

`tokenize` turns a sentence into word/number/punctuation tokens with offsets; `find_numbers`
walks the tokens once and returns every number expression with its value, bounds and
qualifier; `parse_number` reads one whole expression ("nearly a million") for callers and tests.

Conventions (the project's figure conventions, ACLED's most conservative reading of vague words):
dozens 12, scores 40, hundreds 100, thousands 1,000, tens of thousands 10,000, hundreds of
thousands 100,000, millions 1,000,000, all "at_least" with no upper bound; "several/a few
hundred" reads as "hundreds". "a million" and "a dozen" are exact. approx ("nearly", "about",
"some"...) keeps low = high = value; at_least leaves high open; at_most leaves low open; a range
has value = low.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from itertools import accumulate, compress
from operator import attrgetter, itemgetter
from typing import Literal, NamedTuple, cast

TokenKind = Literal["num", "word", "punct"]
QualifierName = Literal["exact", "approx", "at_least", "at_most", "range"]

MAX_DIGITS = 12  # larger numbers are identifiers or garbage, never a count of people
MAX_VALUE = 10**10

# One capturing group around the three token forms (number, word, punctuation mark), so that
# `split` returns separators and tokens alternately; the three forms start with disjoint kinds
# of character, so a token's first character tells its kind.
_TOKEN = re.compile(r"(\d+(?:[.,]\d+)*|[^\W\d_]+(?:['’\-][^\W\d_]+)*|[^\w\s])")
# The same on ASCII-only text (most sentences), with the classes spelt out (a third faster):
# on ASCII, a digit is 0-9, a letter A-Za-z, and \s also takes in \x1c-\x1f.
_TOKEN_ASCII = re.compile(
    r"([0-9]+(?:[.,][0-9]+)*|[A-Za-z]+(?:['\-][A-Za-z]+)*|[^A-Za-z0-9_ \t\n\r\f\v\x1c-\x1f])"
)
_WORD_START = re.compile(r"[^\W\d_]")
_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_PLAIN = re.compile(r"\d+(?:\.\d+)?")

UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}  # fmt: skip
TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
BIG = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_SCALE_WORDS = {**BIG, "mln": 1_000_000, "mn": 1_000_000, "bn": 1_000_000_000}
_ADJACENT_SCALES = {"m": 1_000_000, "mn": 1_000_000, "bn": 1_000_000_000, "k": 1_000}
VAGUE = {"dozens": 12, "scores": 40, "hundreds": 100, "thousands": 1_000, "millions": 1_000_000}
_SEVERAL = {"several", "few"}
_SEVERAL_OF = {"dozen": 12, "hundred": 100, "thousand": 1_000}
_SCORES_CONTEXT = {
    "of", "were", "wounded", "injured", "killed", "dead", "more", "others", "died", "have",
    "had", "fled",
}  # fmt: skip
NUMBER_WORDS = frozenset(
    (
        *UNITS,
        *TENS,
        *BIG,
        "hundred",
        "dozen",
        "dozens",
        "scores",
        "hundreds",
        "thousands",
        "millions",
        "half",
        "several",
    )
)

# Qualifier phrases, as token tuples, longest first so "no fewer than" beats "fewer than".
_QUALIFIERS: list[tuple[tuple[str, ...], QualifierName]] = sorted(
    [
        (("nearly",), "approx"), (("almost",), "approx"), (("about",), "approx"),
        (("around",), "approx"), (("some",), "approx"), (("roughly",), "approx"),
        (("approximately",), "approx"), (("an", "estimated"), "approx"),
        (("estimated",), "approx"), (("as", "many", "as"), "approx"), (("close", "to"), "approx"),
        (("just", "under"), "approx"), (("just", "over"), "approx"), (("circa",), "approx"),
        (("at", "least"), "at_least"), (("more", "than"), "at_least"), (("over",), "at_least"),
        (("upwards", "of"), "at_least"), (("in", "excess", "of"), "at_least"),
        (("no", "fewer", "than"), "at_least"), (("no", "less", "than"), "at_least"),
        (("not", "less", "than"), "at_least"), (("a", "minimum", "of"), "at_least"),
        (("well", "over"), "at_least"), (("above",), "at_least"), (("exceeding",), "at_least"),
        (("up", "to"), "at_most"), (("fewer", "than"), "at_most"), (("less", "than"), "at_most"),
        (("at", "most"), "at_most"), (("no", "more", "than"), "at_most"),
        (("a", "maximum", "of"), "at_most"), (("under",), "at_most"),
    ],
    key=lambda item: -len(item[0]),
)  # fmt: skip


_QUALIFIERS_BY_LAST_WORD: dict[str, list[tuple[tuple[str, ...], QualifierName]]] = {}
for _phrase, _name in _QUALIFIERS:  # longest first within each list, as in _QUALIFIERS
    _QUALIFIERS_BY_LAST_WORD.setdefault(_phrase[-1], []).append((_phrase, _name))


class Token(NamedTuple):
    """A token of a sentence: `low` is its casefolded text. A named tuple: a sentence's tokens
    are built at C level in one pass (see `tokenize`)."""

    text: str
    low: str
    start: int
    end: int
    kind: TokenKind


@dataclass(slots=True)
class NumberSpan:
    """One number expression. `first`/`last` index the tokens (qualifier included, `last`
    exclusive); `core` is the index of the number itself (after any qualifier)."""

    value: int
    low: int | None
    high: int | None
    qualifier: QualifierName
    first: int
    core: int
    last: int
    start: int
    end: int
    vague: bool = False


@dataclass(frozen=True, slots=True)
class _Parsed:
    value: float
    end: int
    vague: bool = False
    scale: int = 1


class _KindOf(dict[str, TokenKind]):
    """A token's first character -> the token's kind (digit: num, letter: word, else punct)."""

    def __missing__(self, char: str) -> TokenKind:
        if len(self) > 10_000:
            self.clear()
        kind: TokenKind = (
            "num" if char.isdecimal() else "word" if _WORD_START.match(char) else "punct"
        )
        self[char] = kind
        return kind


_KIND_OF = _KindOf()
_FIRST_CHAR = itemgetter(0)
_new_token = cast(Callable[[Iterable[object]], Token], partial(tuple.__new__, Token))


def tokenize(text: str) -> list[Token]:
    """Split `text` into number, word and punctuation tokens with offsets.

    Every step is a C-level map over the split pieces: no Python code runs per token."""
    parts = (_TOKEN_ASCII if text.isascii() else _TOKEN).split(text)
    words = parts[1::2]
    offsets = list(accumulate(map(len, parts), initial=0))
    kinds = map(_KIND_OF.__getitem__, map(_FIRST_CHAR, words))
    starts, ends = offsets[1:-1:2], offsets[2::2]
    fields = zip(words, map(str.lower, words), starts, ends, kinds, strict=True)
    return list(map(_new_token, fields))


def _digits_value(text: str) -> float | None:
    if _GROUPED.fullmatch(text):
        text = text.replace(",", "")
    elif not _PLAIN.fullmatch(text):
        return None
    if len(text.split(".")[0]) > MAX_DIGITS:
        return None
    return float(text)


def _glued_to_identifier(tokens: list[Token], i: int) -> bool:
    """'M4', 'Su-24', 'COVID-19': a number stuck to a word is part of a name, not a count."""
    if i == 0 or tokens[i - 1].end != tokens[i].start:
        return False
    before = tokens[i - 1]
    if before.kind == "word":
        return True
    return (
        before.text in "-–"
        and i > 1
        and tokens[i - 2].end == before.start
        and (tokens[i - 2].kind == "word")
    )


def _merge_space_thousands(tokens: list[Token], i: int, text: str) -> tuple[str, int]:
    """'900 000' (thin or plain spaces between groups of three) is one number."""
    j = i + 1
    if len(text) > 3 or not text.isdigit():
        return text, j
    while (
        j < len(tokens)
        and tokens[j].kind == "num"
        and len(tokens[j].text) == 3
        and tokens[j].text.isdigit()
        and tokens[j].start == tokens[j - 1].end + 1
    ):
        text += tokens[j].text
        j += 1
    return text, j


def _parse_digits(tokens: list[Token], i: int) -> _Parsed | None:
    if _glued_to_identifier(tokens, i):
        return None
    text, j = _merge_space_thousands(tokens, i, tokens[i].text)
    value = _digits_value(text)
    if value is None:
        return None
    if j < len(tokens) and tokens[j].kind == "word":
        after = tokens[j]
        glued = after.start == tokens[j - 1].end
        if glued and after.low in _ADJACENT_SCALES:
            return _Parsed(
                value * _ADJACENT_SCALES[after.low], j + 1, scale=_ADJACENT_SCALES[after.low]
            )
        if glued:
            return None  # '10km', '3rd', '5pm': a unit or an ordinal
        if after.low in _SCALE_WORDS:
            return _Parsed(value * _SCALE_WORDS[after.low], j + 1, scale=_SCALE_WORDS[after.low])
    return _Parsed(value, j)


def _low(tokens: list[Token], j: int) -> str:
    return tokens[j].low if 0 <= j < len(tokens) else ""


def _parse_vague(tokens: list[Token], i: int) -> _Parsed | None:
    word = tokens[i].low
    if word in ("tens", "hundreds") and _low(tokens, i + 1) == "of":
        inner = VAGUE.get(_low(tokens, i + 2))
        if inner in (1_000, 1_000_000):
            factor = 10 if word == "tens" else 100
            return _Parsed(factor * inner, i + 3, vague=True)
    if word in VAGUE:
        if word == "scores" and not _scores_is_number(tokens, i):
            return None
        return _Parsed(VAGUE[word], i + 1, vague=True)
    if word in _SEVERAL or (word == "a" and _low(tokens, i + 1) == "few"):
        k = i + 2 if word == "a" else i + 1
        inner_value = _SEVERAL_OF.get(_low(tokens, k))
        if inner_value is not None:
            return _Parsed(inner_value, k + 1, vague=True)
    return None


def _scores_is_number(tokens: list[Token], i: int) -> bool:
    return _low(tokens, i + 1) in _SCORES_CONTEXT or _low(tokens, i - 1) in (
        "killed", "wounded", "injured", "killing", "wounding", "and",
    )  # fmt: skip


def _compound_value(word: str) -> int | None:
    """'seventy-two' -> 72; 'four-party' -> None (a compound adjective, not a count)."""
    parts = word.split("-")
    if len(parts) == 1:
        return UNITS.get(word, TENS.get(word))
    if len(parts) == 2 and parts[0] in TENS and parts[1] in UNITS and UNITS[parts[1]] < 10:
        return TENS[parts[0]] + UNITS[parts[1]]
    return None


def _parse_words(tokens: list[Token], i: int) -> _Parsed | None:
    """Spelled-out numbers: 'five', 'twenty-three', 'a hundred', 'one and a half million'."""
    total = 0.0
    current = 0.0
    j = i
    end = -1  # one past the last token that belongs to the number
    scale = 1
    while j < len(tokens):
        word = tokens[j].low
        value = _compound_value(word) if tokens[j].kind == "word" else None
        if value is not None and _may_add(current, value, first=end < 0):
            current += value
        elif word == "hundred" and (current or _low(tokens, j - 1) in ("a", "an")):
            current = (current or 1) * 100
        elif word == "dozen" and (current or _low(tokens, j - 1) in ("a", "an")):
            current = (current or 1) * 12
        elif word in BIG and (current or _low(tokens, j - 1) in ("a", "an", "half")):
            total += (current or 1) * BIG[word]
            current, scale = 0.0, BIG[word]
        elif word in ("a", "an") and _article_of_number(tokens, j + 1):
            j += 1
            continue
        elif word in _FRACTIONS and _quarter_of_big(tokens, j):
            # 'a quarter of a million', 'three quarters of a million', 'a third of a million'
            current = (current or 1) / _FRACTIONS[word]
            j += 3  # past 'of a'
            continue
        elif word == "half" and (end < 0 or _low(tokens, j - 2) == "and"):
            current = (current or 0) + 0.5 if end > 0 else 0.5
        elif word == "and" and end > 0 and _and_continues(tokens, j):
            j += 1
            continue
        else:
            break
        j += 1
        end = j
    if end < 0:
        return None
    return _Parsed(total + current, end, scale=scale)


# The words after 'a' that make it part of a number: inside one ('one and a half'), and at
# its start ('a hundred', 'a few hundred').
_AFTER_ARTICLE_IN_NUMBER = frozenset(("hundred", "dozen", "half", *BIG))
_AFTER_ARTICLE_AT_START = frozenset(("hundred", "dozen", "few", *BIG))


def _article_of_number(tokens: list[Token], j: int) -> bool:
    """'a' inside a number: 'a hundred', 'one and a half', 'a quarter of a million'."""
    return _low(tokens, j) in _AFTER_ARTICLE_IN_NUMBER or _quarter_of_big(tokens, j)


_FRACTIONS = {"quarter": 4, "quarters": 4, "third": 3, "thirds": 3}


def _quarter_of_big(tokens: list[Token], j: int) -> bool:
    """'quarter(s) of a million', 'a third of a million' at token `j`."""
    return (
        _low(tokens, j) in _FRACTIONS
        and _low(tokens, j + 1) == "of"
        and _low(tokens, j + 2) in ("a", "an")
        and _low(tokens, j + 3) in BIG
    )


def _may_add(current: float, value: int, *, first: bool) -> bool:
    """'twenty five' and 'hundred fifty' continue a number; 'five six' does not."""
    rest = current % 100
    return first or rest == 0 or (rest in TENS.values() and value < 10)


def _and_continues(tokens: list[Token], j: int) -> bool:
    """'one hundred and fifty', 'one and a half million': 'and' inside a number."""
    nxt = _low(tokens, j + 1)
    return (nxt == "a" and _low(tokens, j + 2) == "half") or (
        _low(tokens, j - 1) == "hundred" and _compound_value(nxt) is not None
    )


def parse_at(tokens: list[Token], i: int) -> _Parsed | None:
    """The number that starts at token `i`, if one does."""
    token = tokens[i]
    if token.kind == "num":
        return _parse_digits(tokens, i)
    if token.kind != "word":
        return None
    if token.low in ("a", "an") and not (
        _low(tokens, i + 1) in _AFTER_ARTICLE_AT_START or _quarter_of_big(tokens, i + 1)
    ):
        return None
    return _parse_vague(tokens, i) or _parse_words(tokens, i)


def _qualifier_before(tokens: list[Token], i: int) -> tuple[QualifierName, int]:
    for phrase, name in _QUALIFIERS_BY_LAST_WORD.get(_low(tokens, i - 1), ()):
        k = i - len(phrase)
        if k >= 0 and all(tokens[k + n].low == word for n, word in enumerate(phrase)):
            return name, k
    return "exact", i


def _range_after(tokens: list[Token], first: _Parsed, joiner: str) -> _Parsed | None:
    """The upper end of '50-100', '20 to 30', 'between 20 and 30', 'two or three'."""
    j = first.end
    if _low(tokens, j) != joiner or j + 1 >= len(tokens):
        return None
    if joiner in "-–" and tokens[j].start != tokens[j - 1].end:
        return None
    second = parse_at(tokens, j + 1)
    if second is None or second.vague or first.vague:
        return None
    return second


_BOUNDS = {
    "exact": (True, True), "approx": (True, True), "at_least": (True, False),
    "at_most": (False, True), "range": (True, True),
}  # fmt: skip


def _span(
    tokens: list[Token], first: int, core: int, parsed: _Parsed, qualifier: QualifierName,
    upper: _Parsed | None,
) -> NumberSpan | None:  # fmt: skip
    """The NumberSpan for a parsed number: bounds per the qualifier conventions."""
    value = parsed.value
    low: int | None
    high: int | None
    if upper is not None:
        if upper.scale > 1 and parsed.scale == 1 and value * upper.scale <= upper.value:
            value *= upper.scale  # 'between 1.5 and 2 million'
        number, top = sorted((round(value), round(upper.value)))
        low, high, last, qualifier = number, top, upper.end, "range"
    else:
        number, last = round(value), parsed.end
        if parsed.vague and qualifier in ("exact", "approx"):
            qualifier = "at_least"
        has_low, has_high = _BOUNDS[qualifier]
        low, high = (number if has_low else None), (number if has_high else None)
    if max(number, high or 0) > MAX_VALUE:
        return None
    start, end = tokens[first].start, tokens[last - 1].end
    return NumberSpan(number, low, high, qualifier, first, core, last, start, end, parsed.vague)


_RANGE_JOINERS = frozenset(("to", "-", "–", "or"))


def _number_at(tokens: list[Token], i: int) -> NumberSpan | None:
    parsed = parse_at(tokens, i)
    if parsed is None:
        return None
    before = _low(tokens, i - 1)
    if before == "between":
        upper = _range_after(tokens, parsed, "and")
        if upper is not None:
            return _span(tokens, i - 1, i, parsed, "range", upper)
    joiner = _low(tokens, parsed.end)  # '20 to 30', '50-100', '50–100', 'two or three'
    if before == "by" and joiner == "to":
        joiner = ""  # 'rose by 40,000 to 950,000': a change, then the new value; no range
    upper = _range_after(tokens, parsed, joiner) if joiner in _RANGE_JOINERS else None
    if upper is not None:
        first = i - 1 if before == "from" else i
        return _span(tokens, first, i, parsed, "range", upper)
    qualifier, first = _qualifier_before(tokens, i)
    return _span(tokens, first, i, parsed, qualifier, None)


_STARTERS = NUMBER_WORDS | {"a", "an", "tens", "few"}


class _CanStartNumber(dict[str, bool]):
    """A token's lower-cased text -> whether a number can start at it: digits (only a number
    token starts with a digit), a number word, 'a', 'tens', 'twenty-three'."""

    def __missing__(self, low: str) -> bool:
        if len(self) > 50_000:
            self.clear()
        can = self[low] = (
            low[:1].isdecimal()
            or low in _STARTERS
            or ("-" in low and low.partition("-")[0] in TENS)
        )
        return can


_CAN_START_NUMBER = _CanStartNumber()
_LOW_OF = attrgetter("low")


def _candidates(tokens: list[Token]) -> list[int]:
    """Indices of the tokens a number can start at (C-level look-ups, cached per word)."""
    flags = map(_CAN_START_NUMBER.__getitem__, map(_LOW_OF, tokens))
    return list(compress(range(len(tokens)), flags))


def find_numbers(tokens: list[Token]) -> list[NumberSpan]:
    """Every number expression in `tokens`, left to right, none overlapping."""
    found: list[NumberSpan] = []
    free_from = 0
    for i in _candidates(tokens):
        if i < free_from:
            continue
        span = _number_at(tokens, i)
        if span is not None:
            found.append(span)
            free_from = span.last
    return found


def parse_number(text: str) -> NumberSpan | None:
    """Read `text` as one number expression; None unless the whole of it is one."""
    tokens = tokenize(text)
    found = find_numbers(tokens)
    if len(found) == 1 and found[0].first == 0 and found[0].last == len(tokens):
        return found[0]
    return None
