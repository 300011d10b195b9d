"""Near-duplicate detection: the same wire story published under two URLs.

A 64-bit simhash over word trigrams; two texts within `MAX_DISTANCE` bits are one story.
Splitting the hash into four 16-bit bands lets the store find candidates by index lookup:
two hashes within 3 bits must agree exactly on at least one band (pigeonhole).

Speed matters (every ingested article is fingerprinted), so the per-trigram work is done on
big integers instead of in a Python loop: each word gets a cached 64-bit blake2b hash, the
hashes are packed side by side into one integer, a trigram's hash is the buzhash-style
combination `h1 ^ rotl(h2, 21) ^ rotl(h3, 42)` computed for all trigrams at once with shifts
and masks, and each of the 64 bit columns is counted over the packed bytes with
`bytes.translate` + `count`. (Rewritten by the ingest helper for the ingest benchmark; the
fingerprint's meaning is unchanged: majority vote per bit over word-trigram hashes.)
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
# _BIT_TABLES[k] maps a byte to 1 if its bit k is set, else 0.
_BIT_TABLES = [bytes((value >> k) & 1 for value in range(256)) for k in range(8)]
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
    """Bit i of the result is set when more than half the trigram hashes have bit i set."""
    data = trigrams.to_bytes(_SLOT // 8 * count, "big")
    half = count / 2
    result = 0
    for lane in range(8):  # byte `lane` of every 8-byte (big-endian) slot
        column_bytes = data[lane::8]
        for bit in range(8):
            if column_bytes.translate(_BIT_TABLES[bit]).count(1) > half:
                result |= 1 << (_SLOT - 8 * (lane + 1) + bit)
    return result


def bands(fingerprint: int) -> list[int]:
    """The four 16-bit bands of a fingerprint, each indexed in the store."""
    return [(fingerprint >> (16 * i)) & 0xFFFF for i in range(4)]


def within_distance(a: int, b: int, limit: int = MAX_DISTANCE) -> bool:
    """True when the two fingerprints differ in at most `limit` bits."""
    return (a ^ b).bit_count() <= limit
