"""Near-duplicate detection: the same wire story published under two URLs.

A 64-bit simhash over word trigrams; two texts within `MAX_DISTANCE` bits are one story.
Splitting the hash into four 16-bit bands lets the store find candidates by index lookup:
two hashes within 3 bits must agree exactly on at least one band (pigeonhole).
"""

from __future__ import annotations

import hashlib
import re

from core.text import fold

MAX_DISTANCE = 3
_WORD = re.compile(r"\w+")
_MAX_WORDS = 3_000


def simhash(text: str) -> int:
    """A 64-bit locality-sensitive fingerprint of `text`."""
    words = _WORD.findall(fold(text))[:_MAX_WORDS]
    shingles = [" ".join(words[i : i + 3]) for i in range(max(1, len(words) - 2))]
    bits = [
        format(int.from_bytes(hashlib.blake2b(s.encode(), digest_size=8).digest()), "064b")
        for s in shingles
    ]
    half = len(bits) / 2
    # zip(*bits) walks bit columns in C; column 0 is the most significant bit.
    columns = [column.count("1") > half for column in zip(*bits, strict=True)]
    return sum(1 << (63 - index) for index, is_set in enumerate(columns) if is_set)


def bands(fingerprint: int) -> list[int]:
    """The four 16-bit bands of a fingerprint, each indexed in the store."""
    return [(fingerprint >> (16 * i)) & 0xFFFF for i in range(4)]


def within_distance(a: int, b: int, limit: int = MAX_DISTANCE) -> bool:
    """True when the two fingerprints differ in at most `limit` bits."""
    return (a ^ b).bit_count() <= limit
