"""Article objects in JSON (`.json`: one object or a list) and JSON Lines (`.jsonl`).

The contract (interface.md): `url` (required, the identity), `title`, `body` (or `text`),
`published` (ISO date or datetime; a bare date is UTC midnight, a naive time is UTC), `source`.
Unknown keys are kept in `extra`. A bad object is one error naming its line (or list index)
and field; the others still land. JSON Lines files are streamed, never loaded whole.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from core.ingest.base import (
    MAX_JSON_BYTES,
    MAX_JSONL_LINE_BYTES,
    InputError,
    ItemError,
    Items,
    ItemWarning,
)
from core.ingest.reading import LineReader, read_text
from core.models import Article
from core.text import clean_line, clean_text

_TEXT_FIELDS = ("title", "body", "text", "source", "feed_url", "guid")
MAX_URL_CHARS = 4096
_KNOWN = {"url", "published", "extra", *_TEXT_FIELDS}


class FieldError(ValueError):
    """An article object with a missing or malformed field."""


def article_from_object(data: Any) -> Article:
    """Validate one article object (raises FieldError naming the field)."""
    if not isinstance(data, dict):
        raise FieldError(f"not an article object (got {type(data).__name__})")
    url = data.get("url")
    if not isinstance(url, str) or not url.strip():
        raise FieldError("field url: missing or not a non-empty string")
    if len(url) > MAX_URL_CHARS:  # cut, two long URLs could become one and overwrite it
        raise FieldError(f"field url: longer than {MAX_URL_CHARS} characters")
    texts = {key: _text_field(data, key) for key in _TEXT_FIELDS}
    body = texts["body"] or texts["text"]
    if not body and not texts["title"]:
        raise FieldError("no title and no body (or text)")
    try:
        return Article(
            url=clean_line(url, MAX_URL_CHARS),
            title=clean_line(texts["title"]),
            body=clean_text(body, None),  # cut by the pipeline, with a warning
            published=parse_published(data.get("published")),
            source=clean_line(texts["source"], 200),
            feed_url=texts["feed_url"] or None,
            guid=texts["guid"] or None,
            extra=_extra(data),
        )
    except ValidationError as exc:
        first = exc.errors()[0]
        raise FieldError(f"field {'.'.join(map(str, first['loc']))}: {first['msg']}") from exc


def _text_field(data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise FieldError(f"field {key}: expected a string, got {type(value).__name__}")
    return value


def parse_published(value: Any) -> datetime | None:
    """ISO date (UTC midnight) or datetime (naive = UTC) as an aware UTC datetime."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise FieldError(
            f"field published: expected an ISO date string, got {type(value).__name__}"
        )
    text = value.strip()
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), datetime.min.time(), UTC)
        stamp = datetime.fromisoformat(text)
    except ValueError as exc:
        raise FieldError(f"field published: not an ISO date or datetime: {text[:40]!r}") from exc
    try:
        return (stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)).astimezone(UTC)
    except OverflowError as exc:  # 9999-12-31T23:59-14:00 is past the last UTC datetime
        raise FieldError(f"field published: out of range: {text[:40]!r}") from exc


def _extra(data: dict[str, Any]) -> dict[str, Any]:
    extra = {key: value for key, value in data.items() if key not in _KNOWN}
    nested = data.get("extra")
    return {**nested, **extra} if isinstance(nested, dict) else extra


def read_json(path: Path) -> Items:
    """One article object or a list of them; errors name the list index."""
    text, warning = read_text(path, MAX_JSON_BYTES)
    if warning:
        yield ItemWarning(path, warning)
    try:
        data = _loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from exc
    except (RecursionError, ValueError) as exc:
        raise InputError(f"unreadable JSON ({_json_limit(exc)})") from exc
    if isinstance(data, dict):
        yield _single(data)
        return
    if not isinstance(data, list):
        raise InputError("not an article object or a list of them")
    for index, item in enumerate(data, start=1):
        try:
            yield article_from_object(item)
        except FieldError as exc:
            yield ItemError(path, f"item {index}: {exc}")


def _single(data: dict[str, Any]) -> Article:
    """A single top-level object that fails is a failure of the whole file."""
    try:
        return article_from_object(data)
    except FieldError as exc:
        raise InputError(str(exc)) from exc


def read_jsonl(path: Path) -> Items:
    """Stream one article object per line; blank lines are ignored."""
    reader = LineReader(path, MAX_JSONL_LINE_BYTES)
    warned = False
    for number, line in reader:
        if reader.warning and not warned:
            warned = True
            yield ItemWarning(path, reader.warning)
        if isinstance(line, InputError):
            yield ItemError(path, str(line), number)
        elif line.strip():
            yield _line_item(path, number, line)


def _line_item(path: Path, number: int, line: str) -> Article | ItemError:
    try:
        return article_from_object(_loads(line))
    except json.JSONDecodeError as exc:
        return ItemError(path, f"invalid JSON: {exc.msg} (column {exc.colno})", number)
    except FieldError as exc:
        return ItemError(path, str(exc), number)
    except (RecursionError, ValueError) as exc:  # one hostile line must not end the file
        return ItemError(path, f"unreadable JSON ({_json_limit(exc)})", number)


def _loads(text: str) -> Any:
    """json.loads, with NaN and Infinity (not JSON, but Python accepts them) read as null so
    they never reach the JSON that sitrep writes."""
    if text.startswith("\ufeff"):  # json.loads' own message for a byte order mark
        return json.loads(text, parse_constant=lambda _constant: None)
    return _DECODE(text)


# json.loads(text, parse_constant=...) without building a decoder for every line
_DECODE = json.JSONDecoder(parse_constant=lambda _constant: None).decode


def _json_limit(exc: Exception) -> str:
    """Why valid-looking JSON could not be loaded: nesting too deep or a number too long."""
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    return "a number too long to read" if "digits" in str(exc) else str(exc)[:200]
