"""CandidateCache: an ingest's near-duplicate candidates kept between its batches group every
article exactly as reading them from the store for each batch does."""

from __future__ import annotations

import random
from array import array
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlite_utils import Database

from core.dedupe import within_distance
from core.models import Article
from core.store import CandidateCache, _close_to, _packed, open_db, write_batch

_BAND_POOL = 3  # few values per band: many more than 64 articles share each


def _article(url: str, body: str, day: int | None) -> Article:
    published = None if day is None else datetime(2020, 2, day, tzinfo=UTC)
    return Article(url=url, title="t", body=body, source="s", published=published)


def _crowded(rng: random.Random) -> int:
    """A fingerprint whose bands come from a small pool (templated text crowding a band)."""
    fingerprint = 0
    for band in range(4):
        fingerprint |= (0x1000 * band + rng.randrange(_BAND_POOL)) << (16 * band)
    return fingerprint


def _batches(seed: int) -> list[list[tuple[Article, int]]]:
    """Batches of new articles and copies within 0-4 bits of earlier ones; every fourth
    batch also rewrites some stored urls (new text, maybe a new fingerprint)."""
    rng = random.Random(seed)
    written: list[tuple[str, int]] = []
    batches = []
    for number in range(12):
        batch = []
        for index in range(rng.randrange(1, 60)):
            roll = rng.random()
            day = rng.choice([None, 1, 2, 3, 4, 5])
            if number % 4 == 3 and roll < 0.1:  # a rewrite: same url, new content
                url, fingerprint = rng.choice(written)
                if rng.random() < 0.5:
                    fingerprint = _crowded(rng)
            else:
                url = f"https://x.example/{number}/{index}"
                fingerprint = _crowded(rng)
                if written and roll < 0.35:  # a copy of an earlier article
                    fingerprint = rng.choice(written)[1]
                    for bit in rng.sample(range(64), rng.randrange(5)):
                        fingerprint ^= 1 << bit
            written.append((url, fingerprint))
            batch.append((_article(url, f"body {number} {index}", day), fingerprint))
        batches.append(batch)
    return batches


def _write(db: Database, batch: list[tuple[Article, int]], cache: CandidateCache | None) -> Any:
    items = [(article.model_copy(), None) for article, _ in batch]
    return write_batch(db, items, [fingerprint for _, fingerprint in batch], cache)


def _rows(db: Database) -> list[tuple[Any, ...]]:
    return db.execute(
        "select rowid, url, dup_of, simhash, band0, band1, band2, band3, content_hash "
        "from articles order by rowid"
    ).fetchall()


@pytest.mark.parametrize("max_bytes", [8 << 20, 3000])
@pytest.mark.parametrize("seed", range(6))
def test_cached_candidates_group_as_the_store_does(
    tmp_path: Path, seed: int, max_bytes: int
) -> None:
    plain, cached = open_db(tmp_path / "plain.db"), open_db(tmp_path / "cached.db")
    cache = CandidateCache(max_bytes=max_bytes)
    grouped = 0
    for batch in _batches(seed):
        expected = _write(plain, batch, None)
        assert _write(cached, batch, cache) == expected
        grouped += expected.grouped
    assert grouped > 10  # the series does exercise grouping
    crowd = "select max(n) from (select count(*) as n from articles group by band0)"
    assert cached.execute(crowd).fetchone()[0] > 64
    assert _rows(cached) == _rows(plain)


def test_commits_by_another_connection_are_seen(tmp_path: Path) -> None:
    """`sitrep watch` writing (or deleting) during an ingest: the next batch sees it."""
    batches = _batches(99)
    paths = tmp_path / "plain.db", tmp_path / "cached.db"
    plain, cached = (open_db(path) for path in paths)
    others = [open_db(path) for path in paths]
    cache = CandidateCache()
    for number, batch in enumerate(batches):
        _write(plain, batch, None)
        _write(cached, batch, cache)
        for other in others:  # the other writer: a copy of this batch's first, a deletion
            fingerprint = batch[0][1]
            copy = _article(f"https://watch.example/{number}", "a copy", 1)
            _write(other, [(copy, fingerprint ^ 1)], None)
            with other.conn:
                other.execute(
                    "delete from articles where url = (select url from articles "
                    "order by rowid desc limit 1 offset 3)"
                )
    assert _rows(cached) == _rows(plain)
    assert any(url.startswith("https://watch.example/") for _, url, *_ in _rows(plain))


def test_other_writes_on_the_same_connection_are_seen(db: Database, tmp_path: Path) -> None:
    plain = open_db(tmp_path / "plain.db")
    cache = CandidateCache()
    for number, batch in enumerate(_batches(5)):
        _write(plain, batch, None)
        _write(db, batch, cache)
        for database in (plain, db):  # e.g. a caller deleting between two batches
            with database.conn:
                database.execute(
                    "delete from articles where rowid = (select max(rowid) from articles)"
                )
            _write(database, [(_article(f"https://y.example/{number}", "y", 2), 7)], None)
    assert _rows(db) == _rows(plain)


@pytest.mark.parametrize("same_connection", [False, True])
def test_a_copy_written_between_two_batches_is_found(db_path: Path, same_connection: bool) -> None:
    """Between two batches of an ingest another writer (`sitrep watch`, or a caller on the same
    connection) stores an undated copy of the story, itself grouped elsewhere: the next
    batch's copy is grouped with it (the undated copy comes first), not with the first one."""
    ingest = open_db(db_path)
    other = ingest if same_connection else open_db(db_path)
    cache = CandidateCache()
    story = 0x1234_5678_9ABC_DEF0
    write_batch(ingest, [(_article("https://a.example/1", "a", 5), None)], [story], cache)
    watched = _article("https://w.example/1", "w", None)
    watched.dup_of = "https://elsewhere.example/1"
    write_batch(other, [(watched, None)], [story ^ 0b1])
    write_batch(ingest, [(_article("https://b.example/1", "b", 6), None)], [story ^ 0b10], cache)
    dup_of = "select dup_of from articles where url = 'https://b.example/1'"
    assert ingest.execute(dup_of).fetchone()[0] == "https://elsewhere.example/1"


_SIMHASH = st.integers(0, (1 << 64) - 1)


@given(
    st.lists(st.tuples(_SIMHASH, st.none() | st.sets(st.integers(0, 63), max_size=6)), max_size=70),
    _SIMHASH,
)
def test_kept_simhashes_close_to_a_fingerprint_are_the_ones_within_distance(
    others: list[tuple[int, set[int] | None]], fingerprint: int
) -> None:
    """All lanes compared at once find exactly what one comparison per simhash finds."""
    near = [
        other if bits is None else fingerprint ^ sum(1 << bit for bit in bits)
        for other, bits in others
    ]
    signed = sorted(value - (1 << 64) if value >= 1 << 63 else value for value in near)
    expected = {s for s in signed if within_distance(fingerprint, s & ((1 << 64) - 1))}
    assert _close_to(_packed(array("q", signed)), fingerprint) == expected
