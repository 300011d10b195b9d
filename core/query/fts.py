"""Turning whatever a user types into a safe FTS5 MATCH expression.

Every word becomes a quoted FTS5 string, so operators and punctuation in user text (`C++`,
`U.S.`, `al-Quds`, an unbalanced quote, `NEAR(`) can never be a syntax error. Words joined by
punctuation stay a phrase ("al-Quds" -> "al" "Quds" adjacent); a trailing `*` keeps prefix
search; balanced double quotes keep an explicit phrase.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_WORD = re.compile(r"\w+")
MAX_TERMS = 32  # beyond this FTS5 work grows fast, and no analyst types more
_CHUNK = re.compile(r'"([^"]*)"|(\S+)')


def build_match(query: str, spellings: Callable[[str], list[str]] | None = None) -> str | None:
    """The MATCH expression for `query`, or None when it has no searchable word.

    `spellings`: other spellings of a name (a place's transliterations); a query, or a word or
    phrase of it, that has some matches any of them.
    """
    if spellings is not None and '"' not in query and "*" not in query:
        whole = _any_spelling(query, spellings)
        if whole is not None:  # 'Ma'arrat al-Nu'man': the whole query is one name
            return whole
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
        elif spellings is not None:
            quoted = _any_spelling(text, spellings) or quoted
        if quoted not in parts:
            parts.append(quoted)
    if not parts:
        return None
    # FTS5 takes juxtaposed phrases as AND, but not a parenthesised group beside a phrase
    return " AND ".join(parts) if any(p.startswith("(") for p in parts) else " ".join(parts)


def _any_spelling(text: str, spellings: Callable[[str], list[str]]) -> str | None:
    """'("Saraqeb" OR "Saraqib" OR ...)' when `text` has other spellings, else None."""
    phrases = [
        '"' + " ".join(words) + '"' for name in spellings(text) if (words := _WORD.findall(name))
    ]
    unique = list(dict.fromkeys(phrases))
    return "(" + " OR ".join(unique) + ")" if len(unique) > 1 else None
