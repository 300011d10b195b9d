"""Near-duplicate detection: the same wire story published under two URLs.

A 64-bit simhash over word trigrams; two texts within `MAX_DISTANCE` bits are one story.
Splitting the hash into four 16-bit bands lets the store find candidates by index lookup:
two hashes within 3 bits must agree exactly on at least one band (pigeonhole).

Speed matters (every ingested article is fingerprinted), so the per-trigram work is done on
big integers instead of in a Python loop: each word gets a cached 64-bit blake2b hash, the
hashes are packed side by side into one integer, a trigram's hash is the buzhash-style
combination `h1 ^ rotl(h2, 21) ^ rotl(h3, 42)` computed for all trigrams at once with shifts
and masks, and the per-bit majority vote is a carry-save adder tree over the packed integer.
(Rewritten by the ingest helper for ingest speed; the fingerprint still means a majority vote
per bit over word-trigram hashes, and a test checks it against a one-trigram-at-a-time loop.)
"""

from __future__ import annotations

import hashlib
import re

from core.text import fold

MAX_DISTANCE = 3
_WORD = re.compile(r"\w+")
_MAX_WORDS = 3_000
_SLOT = 64
_ONE_SLOT = b"\x00" * 7 + b"\x01"
_ROTATIONS = (21, 42)
# ASCII fast path: word characters ([0-9A-Za-z_]) kept, everything else becomes a space.
_ASCII_WORDS = bytes(
    (b if chr(b).isalnum() or b == ord("_") else 32) if b < 128 else 32 for b in range(256)
)
_WORD_HASHES: dict[bytes, bytes] = {}
_MAX_CACHED_WORDS = 200_000


def words_of(text: str) -> list[bytes]:
    """The casefolded, accent-free words of `text` (the first few thousand), as UTF-8."""
    if text.isascii():
        return text.encode("ascii").lower().translate(_ASCII_WORDS).split()[:_MAX_WORDS]
    return [word.encode() for word in _WORD.findall(fold(text))[:_MAX_WORDS]]


def _word_hashes(words: list[bytes]) -> bytes:
    """The 8-byte hash of every word, concatenated (a bounded cache: news vocabularies repeat)."""
    cache = _WORD_HASHES
    missing = set(words).difference(cache)
    if len(cache) + len(missing) > _MAX_CACHED_WORDS:
        cache.clear()
        missing = set(words)
    for word in missing:
        cache[word] = hashlib.blake2b(word, digest_size=8).digest()
    return b"".join(map(cache.__getitem__, words))


def _rotate_slots(packed: int, shift: int, ones: int) -> int:
    """Rotate every 64-bit slot of `packed` left by `shift` bits."""
    low = ((1 << (_SLOT - shift)) - 1) * ones
    wrap = ((1 << shift) - 1) * ones
    return ((packed & low) << shift) | ((packed >> (_SLOT - shift)) & wrap)


def simhash(text: str) -> int:
    """A 64-bit locality-sensitive fingerprint of `text`."""
    words = words_of(text)
    words += [b""] * (3 - len(words))
    count = len(words) - 2
    packed = int.from_bytes(_word_hashes(words), "big")
    ones = int.from_bytes(_ONE_SLOT * count, "big")
    window = (1 << (_SLOT * count)) - 1
    first = packed >> (2 * _SLOT)
    second = _rotate_slots((packed >> _SLOT) & window, _ROTATIONS[0], ones)
    third = _rotate_slots(packed & window, _ROTATIONS[1], ones)
    return _majority(first ^ second ^ third, count)


def _majority(trigrams: int, count: int) -> int:
    """Bit i of the result is set when more than half the `count` 64-bit slots have bit i set.

    A carry-save adder tree on big integers: the slots are folded in halves and added as
    per-bit counters held in bit planes (plane j = bit j of every counter), so the whole vote
    is a few dozen C-level integer operations instead of one Python step per trigram.
    """
    planes = [trigrams]
    slots = count
    while slots > 1:
        half = (slots + 1) // 2
        width = _SLOT * half
        planes = _add_halves(planes, width)
        slots = half
    return _greater_than(planes, count // 2)


def _add_halves(planes: list[int], width: int) -> list[int]:
    """Add the high half of every counter vector to its low half (ripple carry over planes)."""
    mask = (1 << width) - 1
    carry = 0
    merged = []
    for plane in planes:
        low, high = plane & mask, plane >> width
        total = low ^ high
        merged.append(total ^ carry)
        carry = (low & high) | (carry & total)
    merged.append(carry)
    return merged


def _greater_than(planes: list[int], threshold: int) -> int:
    """The bits whose counter (read from the planes, most significant first) exceeds threshold."""
    greater, equal = 0, (1 << _SLOT) - 1
    for index in range(len(planes) - 1, -1, -1):
        if (threshold >> index) & 1:
            equal &= planes[index]
        else:
            greater |= equal & planes[index]
            equal &= ~planes[index]
    return greater & ((1 << _SLOT) - 1)


def bands(fingerprint: int) -> list[int]:
    """The four 16-bit bands of a fingerprint, each indexed in the store."""
    return [(fingerprint >> (16 * i)) & 0xFFFF for i in range(4)]


def within_distance(a: int, b: int, limit: int = MAX_DISTANCE) -> bool:
    """True when the two fingerprints differ in at most `limit` bits."""
    return (a ^ b).bit_count() <= limit
