"""Near-duplicate detection: the same wire story published under two URLs.

A 64-bit simhash over word trigrams; two texts within `MAX_DISTANCE` bits are one story.
Splitting the hash into four 16-bit bands lets the store find candidates by index lookup:
two hashes within 3 bits must agree exactly on at least one band (pigeonhole).

Speed matters (every ingested article is fingerprinted), so nothing is done one trigram at a
time in Python: each word has three cached 64-bit hashes (one per position in a trigram), the
hashes of all words are packed side by side into one big integer per position, a trigram's
hash is `h0(w1) ^ h1(w2) ^ h2(w3)` computed for all trigrams with two XORs of the packs,
and the per-bit majority vote is a carry-save adder tree over the packed integer.
(Rewritten by the ingest helper for ingest speed; the fingerprint still means a majority vote
per bit over word-trigram hashes, and a test checks it against a one-trigram-at-a-time loop.)
"""

from __future__ import annotations

import hashlib
import re
from array import array

from core.text import fold

MAX_DISTANCE = 3
_WORD = re.compile(r"\w+")
_MAX_WORDS = 3_000
_SLOT = 64
# ASCII fast path: word characters ([0-9A-Za-z_]) kept and lower-cased in the same pass,
# everything else becomes a space.
_ASCII_WORDS = bytes(
    (ord(chr(b).lower()) if chr(b).isalnum() or b == ord("_") else 32) if b < 128 else 32
    for b in range(256)
)
_MAX_CACHED_WORDS = 200_000


# Pads the shorter texts of a group in simhashes: never a word (words hold no space); its
# digest is zeros (given by the cache itself, so a clear, even by another thread, keeps it).
_PAD = b" "
_ZERO_DIGEST = bytes(24)


class _WordDigests(dict[bytes, bytes]):
    """A 24-byte blake2b digest per word: three independent 64-bit hashes, one per position in
    a trigram. Cached: news vocabularies repeat, so almost every word is soon a hit, and a hit
    is a plain C-level dict lookup (a miss calls `__missing__`)."""

    def __missing__(self, word: bytes) -> bytes:
        pad = word == _PAD
        digest = _ZERO_DIGEST if pad else hashlib.blake2b(word, digest_size=24).digest()
        self[word] = digest
        return digest


_WORD_DIGESTS = _WordDigests()


def words_of(text: str) -> list[bytes]:
    """The casefolded, accent-free words of `text` (the first few thousand), as UTF-8."""
    if text.isascii():
        words = text.encode("ascii").translate(_ASCII_WORDS).split()
        if len(words) > _MAX_WORDS:
            del words[_MAX_WORDS:]
        return words
    return [word.encode() for word in _WORD.findall(fold(text))[:_MAX_WORDS]]


def _digests(words: list[bytes]) -> array[int]:
    """The words' digests as unsigned 64-bit hashes: [w0h0, w0h1, w0h2, w1h0, ...]."""
    if len(_WORD_DIGESTS) > _MAX_CACHED_WORDS:  # bounded: memory stays flat on any corpus
        _WORD_DIGESTS.clear()
    return array("Q", b"".join(map(_WORD_DIGESTS.__getitem__, words)))


def simhash(text: str) -> int:
    """A 64-bit locality-sensitive fingerprint of `text`."""
    words = words_of(text)
    words += [b""] * (3 - len(words))
    hashes = _digests(words)
    count = len(words) - 2
    # Trigram i is h0(word i) ^ h1(word i+1) ^ h2(word i+2), for every i at once (each
    # slice packs one hash of every word, as its bytes: the same on any byte order).
    end = 3 * count
    trigrams = int.from_bytes(hashes[0:end:3], "little")
    trigrams ^= int.from_bytes(hashes[4 : 4 + end : 3], "little")
    trigrams ^= int.from_bytes(hashes[8 : 8 + end : 3], "little")
    return _majority(trigrams, count)


def simhashes(texts: list[str]) -> list[int]:
    """`[simhash(text) for text in texts]`, voting for many texts at once.

    The majority vote of one text is a few hundred integer operations, most of them on a
    few machine words (its deepest folds), where each Python step costs more than the
    arithmetic. Texts of similar length are voted together: their words are interleaved
    (word i of text a at i * n + a), so each fold and each comparison is one operation for
    all of them. Shorter texts of a group are padded with zero slots, which add nothing to a
    counter; each text keeps its own threshold (half its trigrams).
    """
    texts_words: list[list[bytes]] = []
    for text in texts:
        words = words_of(text)
        if len(words) < 3:
            words += [b""] * (3 - len(words))
        texts_words.append(words)
    order = sorted(range(len(texts)), key=lambda index: len(texts_words[index]))
    prints = [0] * len(texts)
    group: list[int] = []
    for index in order:
        # A group's texts are within a quarter of its shortest one's length (little padding).
        if group and (
            len(group) == 32 or 4 * len(texts_words[index]) > 5 * len(texts_words[group[0]])
        ):
            _vote_together(group, texts_words, prints)
            group = []
        group.append(index)
    if group:
        _vote_together(group, texts_words, prints)
    return prints


# A group's slots are voted in up to this many pieces of at least _PIECE_ROWS rows each.
_PIECES = 8
_PIECE_ROWS = 8


def _vote_together(group: list[int], texts_words: list[list[bytes]], prints: list[int]) -> None:
    """The simhashes of the texts at `group` (their words in `texts_words`) into `prints`."""
    n = len(group)
    lengths = [len(texts_words[index]) for index in group]
    span = max(lengths)
    slots = span - 2
    # Word i of the group's text a at i * n + a; one join looks up every word's digests.
    interleaved = [_PAD] * (n * span)
    for position, index in enumerate(group):
        interleaved[position : position + n * lengths[position] : n] = texts_words[index]
    if len(_WORD_DIGESTS) > _MAX_CACHED_WORDS:  # bounded: memory stays flat on any corpus
        _WORD_DIGESTS.clear()
    digests = array("Q", b"".join(map(_WORD_DIGESTS.__getitem__, interleaved)))
    # A shorter text's last two trigrams would mix its last words with the pads: the three
    # hashes only they take are zeroed.
    for position, length in enumerate(lengths):
        if length < span:
            last = (length - 1) * n + position
            digests[3 * (last - n)] = digests[3 * last] = digests[3 * last + 1] = 0
    # Slot i * n + a of stream p is hash p of word i + p of text a: digest 3 * (that word) + p.
    # The slots are read in up to _PIECES pieces of rows, each piece's three streams XORed
    # into one integer, and the pieces are added pairwise: those first folds of the vote need
    # no shift and no mask (one integer's halves would).
    pieces = min(_PIECES, slots // _PIECE_ROWS) or 1
    rows = -(-slots // pieces)
    parts: list[list[int]] = []
    for start in range(0, slots, rows):
        first, stop = 3 * n * start, 3 * n * min(start + rows, slots)
        trigrams = int.from_bytes(digests[first:stop:3], "little")
        trigrams ^= int.from_bytes(digests[first + 3 * n + 1 : stop + 3 * n + 1 : 3], "little")
        trigrams ^= int.from_bytes(digests[first + 6 * n + 2 : stop + 6 * n + 2 : 3], "little")
        parts.append([trigrams])
    while len(parts) > 1:
        if len(parts) % 2:
            parts.append([0] * len(parts[0]))
        parts = [_add(parts[i], parts[i + 1]) for i in range(0, len(parts), 2)]
    planes = parts[0]
    slots = rows
    while slots > 1:
        half = (slots + 1) // 2
        planes = _add_halves(planes, _SLOT * n * half)
        slots = half
    counts = [length - 2 for length in lengths]
    # Each text's own threshold, plane by plane: all ones in its slot where the bit is set.
    thresholds = [count // 2 for count in counts]
    word = b"\xff" * 8
    none = bytes(8)
    greater, equal = 0, (1 << (_SLOT * n)) - 1
    for bit in range(len(planes) - 1, -1, -1):
        plane = planes[bit]
        mask = b"".join([word if (threshold >> bit) & 1 else none for threshold in thresholds])
        ones = int.from_bytes(mask, "little")
        greater |= equal & plane & ~ones
        equal &= ~(plane ^ ones)
    values = array("Q", (greater & ((1 << (_SLOT * n)) - 1)).to_bytes(8 * n, "little"))
    for index, value in zip(group, values, strict=True):
        prints[index] = value


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


def _add(a: list[int], b: list[int]) -> list[int]:
    """The counters of planes `a` plus those of `b` (as many planes each), ripple carry."""
    low, high = a[0], b[0]
    carry = low & high
    merged = [low ^ high]
    for low, high in zip(a[1:], b[1:], strict=True):
        total = low ^ high
        merged.append(total ^ carry)
        carry = (low & high) | (carry & total)
    merged.append(carry)
    return merged


def _add_halves(planes: list[int], width: int) -> list[int]:
    """Add the high half of every counter vector to its low half (ripple carry over planes).

    The lowest plane has no carry in; `plane & high` is `low & high` (& keeps only the bits
    of the shorter operand, and `high` is no longer than `low`).
    """
    mask = (1 << width) - 1
    plane = planes[0]
    high = plane >> width
    carry = plane & high
    merged = [(plane & mask) ^ high]
    for plane in planes[1:]:
        high = plane >> width
        total = (plane & mask) ^ high
        merged.append(total ^ carry)
        carry = (plane & high) | (carry & total)
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
