"""A news article saved as text (`.txt` / `.md`).

Two layouts are understood, recognised line by line rather than by position:

* plain: a title line, a blank line, then the body (paragraphs);
* the web-article layout: title, blank, the title repeated, a standfirst (lede), "3 min read",
  a date line, a photo caption ending in a credit ("[Getty]"), the body, then trailing
  "Read more: ..." / "Follow us on ..." lines.

Header pieces (repeated title, reading time, date line, caption, byline) are recognised within
the first few lines after the title; anything before the last of them is the lede (kept in
`extra["lede"]`, not body). Promotional and credit lines are dropped wherever they stand.
An optional `Key: value` block at the very top (Title, Source, Date/Published, URL), or the
same keys in Markdown front matter between `---` lines, wins over what the layout suggests.

published: the header date line, else a wire dateline ("IDLIB, Syria, Feb 6 (Reuters) -") with
its year from the dateline or the file name, else a YYYY-MM-DD date in the file name, else None.
source: a `Source:` line, else the agency in the wire dateline's parentheses, else the name of
the folder the file is in (articles saved per outlet: `clips/reuters/*.txt`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from core.ingest.base import (
    MAX_FILE_BYTES,
    MIN_BODY_WORDS,
    InputError,
    Items,
    ItemWarning,
    file_url,
)
from core.ingest.dates import filename_date, month_day, parse_date_line
from core.ingest.reading import read_text
from core.models import Article
from core.text import clean_line, clean_text

_HEADER_ZONE = 8
_MAX_TITLE = 300
_META = re.compile(r"^(title|source|date|published|url|link)\s*:\s*(\S.*)$", re.IGNORECASE)
_READ_TIME = re.compile(r"^\d{1,3}\s*(?:min|mins|minute|minutes)\.?(?:\s+read)?$", re.IGNORECASE)
_CREDIT = r"(?:[A-Z][\w.&'/-]*(?:\s+[\w.&'/-]+){0,3})"
_CAPTION = re.compile(
    rf"(?:\[{_CREDIT}\]|\((?:photo|image|picture|credit)s?\s*:?[^)]{{0,60}}\))\s*$"
    r"|^(?:photo|image|picture|credit)s?\s*:\s*\S",
    re.IGNORECASE,
)
_BYLINE = re.compile(r"^by\s+[A-Z][\w.'-]+(?:\s+[\w.'-]+){0,5}$")
_PROMO = re.compile(
    r"^(?:read more|read also|also read|related|more on this|recommended|see also"
    r"|follow us|follow [^.]{0,40} on (?:twitter|facebook|instagram|telegram|x)\b"
    r"|subscribe to|sign up for|share this|click here|download (?:our|the) app)\b",
    re.IGNORECASE,
)
_TAIL_CREDIT = re.compile(
    r"^\(?(?:reporting by|additional reporting|writing by|editing by|compiled by"
    r"|agencies contributed|[\w\s,&]{0,40}contributed to this report"
    r"|copyright\b|©|all rights reserved)",
    re.IGNORECASE,
)
_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z .'/-]{1,40}(?:,\s*[A-Za-z .'-]{1,30})?)"
    r"(?:,\s*(?P<month>[A-Z][a-z]{2,8})\.?\s+(?P<day>\d{1,2})(?:,?\s+(?P<year>\d{4}))?)?"
    r"\s*\((?P<agency>[^()]{1,60})\)\s*[-–—]+\s"
)


@dataclass
class _Parts:
    """What the layout recognition found in one file."""

    title: str = ""
    body_lines: list[str] = field(default_factory=list)
    published: datetime | None = None
    source: str = ""
    url: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def read_text_article(path: Path) -> Items:
    """Yield the one article in a text file (or raise InputError if it is not one)."""
    text, warning = read_text(path, MAX_FILE_BYTES)
    if warning:
        yield ItemWarning(path, warning)
    yield parse_text_article(text, path)


def parse_text_article(raw: str, path: Path) -> Article:
    """Recognise the layout of `raw` (the text of the file at `path`) and build the article."""
    lines = clean_text(raw, None).split("\n")  # the pipeline cuts a long body, with a warning
    parts = _Parts()
    lines = _take_metadata(lines, parts)
    lines = _take_title(lines, parts)
    lines = _take_header(lines, parts)
    parts.body_lines = _drop_boilerplate(lines, parts)
    body = "\n".join(parts.body_lines).strip()
    words = len(body.split())
    if words < MIN_BODY_WORDS:
        raise InputError(_too_short(words))
    _resolve_dateline(body, path, parts)
    return Article(
        url=parts.url or file_url(path),
        title=clean_line(parts.title),
        body=body,
        published=parts.published or filename_date(path.name),
        source=clean_line(parts.source or path.resolve().parent.name),
        extra=parts.extra,
    )


def _too_short(words: int) -> str:
    if not words:
        return "not an article: no body text after the title"
    return (
        f"not an article: {words} word{'s' if words != 1 else ''} of body text after the title"
        f" (an article has at least {MIN_BODY_WORDS})"
    )


def _take_metadata(lines: list[str], parts: _Parts) -> list[str]:
    """Consume a leading `Key: value` block or Markdown front matter (between `---` lines)."""
    if lines and lines[0].strip() == "---" and "---" in (line.strip() for line in lines[1:]):
        end = next(i for i, line in enumerate(lines[1:], start=1) if line.strip() == "---")
        for line in lines[1:end]:
            if match := _META.match(line):
                _set_meta(parts, match.group(1).lower(), match.group(2).strip().strip("'\""))
        return lines[end + 1 :]
    index = 0
    while index < len(lines) and (match := _META.match(lines[index])):
        _set_meta(parts, match.group(1).lower(), match.group(2).strip())
        index += 1
    return lines[index:]


def _set_meta(parts: _Parts, key: str, value: str) -> None:
    if key == "title":
        parts.title = value
    elif key == "source":
        parts.source = value
    elif key in ("url", "link"):
        parts.url = value
    else:
        parts.published = parse_date_line(value)


def _take_title(lines: list[str], parts: _Parts) -> list[str]:
    """The first non-blank line is the title, and a blank line must follow it."""
    rest = _strip_blank_start(lines)
    if parts.title:
        return rest
    if not rest:
        raise InputError("not an article: the file is empty")
    title = rest[0].lstrip("#").strip()
    if len(title) > _MAX_TITLE or len(rest) < 2 or rest[1] != "":
        raise InputError("not an article: expected a title line, a blank line, then the body")
    parts.title = title
    return rest[2:]


def _strip_blank_start(lines: list[str]) -> list[str]:
    index = 0
    while index < len(lines) and not lines[index]:
        index += 1
    return lines[index:]


def _take_header(lines: list[str], parts: _Parts) -> list[str]:
    """Find header pieces in the first lines; everything before the last one is the lede."""
    lines = _strip_blank_start(lines)
    markers = [i for i, line in enumerate(lines[:_HEADER_ZONE]) if _is_header_piece(line, parts)]
    if not markers:
        return lines
    last = markers[-1]
    lede = [line for i, line in enumerate(lines[:last]) if line and i not in markers]
    if lede:
        parts.extra["lede"] = " ".join(lede)
    return lines[last + 1 :]


def _is_header_piece(line: str, parts: _Parts) -> bool:
    if line.casefold() == parts.title.casefold() or _READ_TIME.match(line):
        return True
    if _BYLINE.match(line):
        parts.extra["byline"] = line[3:].strip()
        return True
    if parts.published is None and (published := parse_date_line(line)) is not None:
        parts.published = published
        return True
    if _CAPTION.search(line) and len(line.split()) <= 40:
        parts.extra.setdefault("caption", line)
        return True
    return False


def _drop_boilerplate(lines: list[str], parts: _Parts) -> list[str]:
    """Promotional lines anywhere; credit and source lines at the end."""
    kept = []
    for line in lines:
        if _PROMO.match(line) or (_CAPTION.search(line) and len(line.split()) <= 25):
            continue
        kept.append(line)
    while kept and (not kept[-1] or _TAIL_CREDIT.match(kept[-1]) or _META.match(kept[-1])):
        line = kept.pop()
        if (match := _META.match(line)) and match.group(1).lower() == "source":
            parts.source = parts.source or match.group(2).strip()
        elif line:
            parts.extra.setdefault("credit", line)
    return kept


def strip_boilerplate(body: str) -> str:
    """`body` without promotional lines and trailing credits (for text from other formats)."""
    return "\n".join(_drop_boilerplate(body.split("\n"), _Parts())).strip()


def _resolve_dateline(body: str, path: Path, parts: _Parts) -> None:
    """A wire dateline gives the agency (source) and, with a year, the date."""
    match = _DATELINE.match(body)
    if match is None:
        return
    parts.source = parts.source or match.group("agency").strip()
    if parts.published is not None or not match.group("month"):
        return
    year = match.group("year") or _year_hint(path)
    if year:
        parts.published = month_day(match.group("month"), match.group("day"), int(year))


def _year_hint(path: Path) -> int | None:
    hint = filename_date(path.name)
    return hint.year if hint else None
