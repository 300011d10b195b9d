"""Turning a file's bytes into text: BOMs, UTF-8, legacy encodings, binary files.

UTF-8 (with or without BOM) and UTF-16/32 with a BOM are read as such. Anything else that is
not UTF-8 is a legacy single-byte file: Windows-1252 is by far the most common (and a superset
of Latin-1's printable range), so it is the fallback; only when that reading comes out mostly
non-ASCII letters (Arabic or Cyrillic code pages) is charset detection asked to choose. Either
way the caller gets a warning to show, never silent mojibake. Files with NUL bytes or mostly
control bytes are binary and refused.
"""

from __future__ import annotations

import codecs
import io
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from core.ingest.base import InputError, check_size

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_SNIFF_BYTES = 8192
_CONTROL_BYTES = frozenset(range(0x20)) - {0x09, 0x0A, 0x0C, 0x0D, 0x1B}
_MAX_CONTROL_RATIO = 0.05
_MAX_FOREIGN_LETTER_RATIO = 0.3
# UTF-16 text uses few Unicode blocks, so its high bytes take few values (0 for ASCII, 6 for
# Arabic, 4 for Cyrillic, 0x20 for typographic quotes ...); the letters of 8-bit text do not.
_MAX_UTF16_HIGH_BYTES = 8


def bom_encoding(head: bytes) -> str | None:
    """The encoding a byte-order mark announces, if the data starts with one."""
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return encoding
    return None


def refuse_binary(sample: bytes) -> None:
    """Raise InputError when `sample` (no BOM) does not look like text."""
    if b"\x00" in sample:
        raise InputError("binary file (contains NUL bytes), not text")
    controls = sum(1 for byte in sample if byte in _CONTROL_BYTES)
    if sample and controls / len(sample) > _MAX_CONTROL_RATIO:
        raise InputError("binary file (mostly control bytes), not text")


def decode_legacy(data: bytes) -> tuple[str, str]:
    """Decode non-UTF-8 bytes; returns the text and the name of the encoding used."""
    text = data.decode("cp1252", errors="replace")
    if _mostly_foreign_letters(text):
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is not None and best.encoding:
            return str(best), best.encoding
    return text, "cp1252"


def _mostly_foreign_letters(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return False
    foreign = sum(1 for ch in letters if not ch.isascii())
    return foreign / len(letters) > _MAX_FOREIGN_LETTER_RATIO


def utf16_without_bom(sample: bytes) -> str | None:
    """ "utf-16-le"/"utf-16-be" when `sample` is UTF-16 text saved without a byte-order mark.

    Such text has its NUL bytes only in every other position (the high byte of Latin
    letters, digits, spaces and punctuation), and those high bytes take few values; a binary
    file's NULs fall anywhere. The decoded sample must also be text, not controls.
    """
    even, odd = sample[0::2], sample[1::2]
    for codec, zeros, other in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if b"\x00" in other or zeros.count(0) < max(2, len(zeros) // 20):
            continue
        if len(set(zeros)) > _MAX_UTF16_HIGH_BYTES:  # ASCII text with a stray NUL, not UTF-16
            continue
        try:
            text = sample[: len(sample) // 2 * 2].decode(codec)
        except UnicodeDecodeError:
            continue
        controls = sum(1 for ch in text if ord(ch) in _CONTROL_BYTES)
        if controls <= len(text) * _MAX_CONTROL_RATIO:
            return codec
    return None


def decode_bytes(data: bytes) -> tuple[str, str | None]:
    """The text in `data`, plus a warning when it had to be read in a legacy encoding."""
    encoding = bom_encoding(data[:4])
    if encoding is not None:
        try:
            return data.decode(encoding), None
        except UnicodeDecodeError as exc:
            raise InputError(f"invalid {encoding.upper()} text: {exc.reason}") from exc
    sample = data[:_SNIFF_BYTES]
    if len(data) % 2 == 0 and b"\x00" in sample and (wide := utf16_without_bom(sample)):
        try:
            return data.decode(wide), f"no byte-order mark: read as {wide.upper()}"
        except UnicodeDecodeError as exc:
            raise InputError(f"invalid {wide.upper()} text: {exc.reason}") from exc
    refuse_binary(data[:_SNIFF_BYTES])
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        text, used = decode_legacy(data)
        return text, f"not UTF-8: read as {used}"


def read_text(path: Path, limit: int) -> tuple[str, str | None]:
    """A whole (size-limited) file as text, plus an encoding warning if any."""
    return decode_bytes(read_bytes(path, limit))


def read_bytes(path: Path, limit: int) -> bytes:
    """A whole (size-limited) file as bytes, for parsers that read encodings themselves.

    Never more than `limit` bytes are read, even from a file that grows after the size check
    (a log being written, a file in /proc that reports size 0).
    """
    check_size(path, limit)
    with path.open("rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise InputError(f"file is too large (more than {limit // 2**20} MB)")
    return data


class LineReader:
    """Stream a text file line by line without loading it: (line number, text or error).

    Each line is bounded by `limit` bytes: an overlong line is skipped (reported as an error
    string) without ever being held in memory whole. `warning` is set once a line needed a
    legacy encoding.
    """

    def __init__(self, path: Path, limit: int) -> None:
        self.path = path
        self.limit = limit
        self.warning: str | None = None

    def __iter__(self) -> Iterator[tuple[int, str | InputError]]:
        with self.path.open("rb") as raw:
            encoding = bom_encoding(raw.read(4))
            raw.seek(0)
            if encoding is not None and encoding != "utf-8-sig":
                yield from self._wide_lines(raw, encoding)
            else:
                yield from self._byte_lines(raw)

    def _wide_lines(self, raw: BinaryIO, encoding: str) -> Iterator[tuple[int, str | InputError]]:
        reader = io.TextIOWrapper(raw, encoding=encoding, errors="replace", newline=None)
        yield from enumerate(reader, start=1)

    def _byte_lines(self, raw: BinaryIO) -> Iterator[tuple[int, str | InputError]]:
        number = 0
        while chunk := raw.readline(self.limit + 1):
            number += 1
            if number == 1 and chunk.startswith(codecs.BOM_UTF8):
                chunk = chunk[len(codecs.BOM_UTF8) :]
            if len(chunk) > self.limit and not chunk.endswith(b"\n"):
                _skip_rest_of_line(raw)
                yield number, InputError(f"line longer than {self.limit // 1024 // 1024} MB")
                continue
            yield number, self._decode(chunk)

    def _decode(self, chunk: bytes) -> str | InputError:
        if b"\x00" in chunk:
            return InputError("binary data (NUL bytes) in line")
        try:
            return chunk.decode("utf-8")
        except UnicodeDecodeError:
            text, used = decode_legacy(chunk)
            self.warning = self.warning or f"not UTF-8: lines read as {used}"
            return text


def _skip_rest_of_line(raw: BinaryIO) -> None:
    while chunk := raw.readline(1024 * 1024):
        if chunk.endswith(b"\n"):
            return
