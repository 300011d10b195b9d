"""Turning whatever a user types into a safe FTS5 MATCH expression.

Every word becomes a quoted FTS5 string, so operators and punctuation in user text (`C++`,
`U.S.`, `al-Quds`, an unbalanced quote, `NEAR(`) can never be a syntax error. Words joined by
punctuation stay a phrase ("al-Quds" -> "al" "Quds" adjacent); a trailing `*` keeps prefix
search; balanced double quotes keep an explicit phrase.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"\w+")
MAX_TERMS = 32  # beyond this FTS5 work grows fast, and no analyst types more
_CHUNK = re.compile(r'"([^"]*)"|(\S+)')


def build_match(query: str) -> str | None:
    """The MATCH expression for `query`, or None when it has no searchable word."""
    parts: list[str] = []
    for phrase, token in _CHUNK.findall(query):
        if len(parts) >= MAX_TERMS:
            break
        text = phrase or token
        words = _WORD.findall(text)
        if not words:
            continue
        quoted = '"' + " ".join(words) + '"'
        if token and token.endswith("*") and len(words) == 1:
            quoted += "*"
        if quoted not in parts:
            parts.append(quoted)
    return " ".join(parts) if parts else None
