"""Normalising untrusted text once, at ingest.

Every title, body and source that enters the store passes through `clean_text`, so nothing
downstream (FTS, extraction, the terminal) ever sees control characters, ANSI escapes or bidi
overrides. ZWJ/ZWNJ (needed by Arabic and Persian script) and LRM/RLM (harmless marks) stay.
"""

from __future__ import annotations

import re
import unicodedata

# C0 and C1 controls except tab and newline; DEL; bidi embeddings, overrides and isolates.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff\ufff9-\ufffb]")
_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")
# A run of spaces that folding changes: two or more, or one that is not a plain space.
# (Matching every single space too would give the same text at many times the cost.)
_SPACE_CHARS = " \t\u00a0\u2000-\u200a\u202f\u205f\u3000"
_SPACES = re.compile(f"[{_SPACE_CHARS}]{{2,}}|[{_SPACE_CHARS[1:]}]")
_BLANK_LINES = re.compile(r"\n{3,}")
_ASCII_UNPRINTABLE = bytes(range(0x20)).replace(b"\n", b"") + b"\x7f"

MAX_TITLE_CHARS = 1_000
MAX_BODY_CHARS = 200_000
MAX_SOURCE_CHARS = 200


def strip_unsafe(text: str) -> str:
    """Remove escape sequences, control characters and bidi overrides; keep tab and newline."""
    return _UNSAFE.sub("", _ANSI.sub("", text))


def clean_text(text: str, limit: int | None = MAX_BODY_CHARS) -> str:
    """NFC, unsafe characters removed, spaces folded, paragraphs kept, cut to `limit` chars
    (None: not cut, for a caller that cuts later and says so)."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    if _is_plain(text):
        return clean_plain(text, limit)
    return _tidy_lines(_SPACES.sub(" ", strip_unsafe(text)), limit)


def clean_plain(text: str, limit: int | None = MAX_BODY_CHARS) -> str:
    """`clean_text` of text its caller knows to be plain: NFC, no carriage return, and
    `_is_plain` (html_to_text's ASCII paragraphs without a tab, checked as they are read)."""
    # Nothing to strip, and the only spaces to fold are runs of U+0020 (every other space
    # character is non-printable).
    if "  " in text:
        text = _SPACES.sub(" ", text)
    return _tidy_lines(text, limit)


def clean_plain_line(text: str) -> str:
    """`clean_plain` of plain text without a line break (uncut): space runs folded, stripped."""
    if "  " in text:
        text = _SPACES.sub(" ", text)
    return text.strip()


def _tidy_lines(text: str, limit: int | None) -> str:
    """Each line stripped, at most one blank line in a row, cut to `limit`."""
    text = "\n".join([line.strip() for line in text.split("\n")])
    if "\n\n\n" in text:
        text = _BLANK_LINES.sub("\n\n", text)
    return text.strip()[:limit]


def _is_plain(text: str) -> bool:
    """True when every character but the newlines is printable: no control, format or bidi
    character, no tab, no space but U+0020 (ASCII text is checked bytewise, ~3x faster)."""
    if text.isascii():
        data = text.encode("ascii")
        return len(data.translate(None, _ASCII_UNPRINTABLE)) == len(data)
    return all(map(str.isprintable, text.split("\n")))


def clean_line(text: str, limit: int = MAX_TITLE_CHARS) -> str:
    """Like `clean_text` but for one-line fields (titles, sources): line breaks become spaces."""
    if text.isascii() and text.isprintable():  # fast path: no line break, nothing to strip
        if "  " in text:
            text = _SPACES.sub(" ", text)
        return text.strip()[:limit]
    return clean_text(text.replace("\r", " ").replace("\n", " "), limit)


def fold(text: str) -> str:
    """Casefolded, accent-free form for matching ("Saraqib" and "Sarāqib" fold alike)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
