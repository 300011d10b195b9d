"""write_batch: upserts, unchanged re-reads and near-duplicate grouping (one story, two urls)."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from unittest.mock import patch

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlite_utils import Database

from core import dedupe
from core.dedupe import simhash, simhashes, within_distance, words_of
from core.models import Article, Extraction, PlaceMention
from core.query.articles import headlines
from core.store import utc_text, write_batch

STORY = " ".join(
    [
        "Government forces backed by Russian air strikes entered the town on Wednesday after",
        "encircling it for several days, and by Thursday morning the army said it had cleared",
        "the last pockets of resistance. Rebels said they had pulled back to villages to the",
        "west. The town sits at the junction of the two main highways and had been largely",
        "empty after weeks of bombardment that sent tens of thousands of people north towards",
        "the border with Turkey, where camps are already overcrowded and short of tents.",
    ]
)
OTHER = " ".join(
    [
        "Aid agencies said on Monday that deliveries across the border reached a record in",
        "January, with more than a thousand trucks of food, medicine and shelter materials",
        "crossing from Turkey. The renewal of the cross-border mandate was limited to two",
        "crossings, and officials warned that needs were growing faster than supplies as",
        "families kept arriving from the south with little more than the clothes they wore.",
    ]
)


def edited(text: str) -> str:
    """The same story re-punctuated and re-cased by another desk: the same words.

    (A syndicated copy with a few words changed is usually, not always, within the grouping
    distance: that is a property of simhash on short texts, so tests use same-word copies.)
    """
    return text.replace(",", "").replace("Wednesday", "WEDNESDAY").replace(". ", "; ")


def article(url: str, body: str, source: str, day: int, title: str = "Town falls") -> Article:
    return Article(
        url=url,
        title=title,
        body=body,
        source=source,
        published=datetime(2020, 2, day, tzinfo=UTC),
    )


def test_syndicated_copy_is_grouped_and_shown_once(db: Database) -> None:
    first = write_batch(db, [(article("https://a.example/1", STORY, "Wire A", 6), None)])
    copy = edited(STORY)
    second = write_batch(
        db,
        [
            (article("https://b.example/9", copy, "Paper B", 7, "Army takes town"), None),
            (article("https://c.example/2", OTHER, "Relief C", 7, "Aid record"), None),
        ],
    )
    assert (first.inserted, second.inserted, second.grouped) == (1, 2, 1)
    shown = headlines(db)
    assert [h.url for h in shown] == ["https://c.example/2", "https://a.example/1"]
    assert shown[1].also_sources == ["Paper B"]


def test_copies_within_one_batch_are_grouped_too(db: Database) -> None:
    result = write_batch(
        db,
        [
            (article("https://a.example/1", STORY, "Wire A", 6), None),
            (article("https://b.example/1", edited(STORY), "Paper B", 6), None),
            (article("https://d.example/1", STORY, "Paper D", 6), None),
        ],
    )
    assert (result.inserted, result.grouped) == (3, 2)
    [only] = headlines(db)
    assert only.url == "https://a.example/1"
    assert sorted(only.also_sources) == ["Paper B", "Paper D"]


def test_same_content_is_unchanged_and_new_content_updates(db: Database) -> None:
    item = article("https://a.example/1", STORY, "Wire A", 6)
    write_batch(db, [(item, None)])
    again = write_batch(db, [(item, None)])
    changed = write_batch(db, [(article("https://a.example/1", OTHER, "Wire A", 6), None)])
    assert (again.unchanged, again.inserted, changed.updated) == (1, 0, 1)
    assert db.execute("select count(*) from articles").fetchone()[0] == 1
    hits = db.execute(
        "select count(*) from articles_fts where articles_fts match 'trucks'"
    ).fetchone()[0]
    assert hits == 1  # the FTS index follows the update


def test_repeated_url_in_one_batch_keeps_the_last_version(db: Database) -> None:
    result = write_batch(
        db,
        [
            (article("https://a.example/1", STORY, "Wire A", 6), None),
            (article("https://a.example/1", OTHER, "Wire A", 6), None),
        ],
    )
    assert (result.inserted, result.updated) == (1, 1)
    assert db.execute("select body from articles").fetchone()[0] == OTHER


def test_unrelated_stories_are_far_apart() -> None:
    assert not within_distance(simhash(STORY), simhash(OTHER))
    assert simhash(STORY) == simhash(edited(STORY))


def _reference_simhash(text: str) -> int:
    """The definition, one trigram at a time: majority vote per bit of position-hashed trigrams."""

    def position_hash(word: bytes, position: int) -> int:
        digest = hashlib.blake2b(word, digest_size=24).digest()
        return int.from_bytes(digest[8 * position : 8 * position + 8], "little")

    words = words_of(text)
    words += [b""] * (3 - len(words))
    trigrams = [
        position_hash(words[i], 0) ^ position_hash(words[i + 1], 1) ^ position_hash(words[i + 2], 2)
        for i in range(len(words) - 2)
    ]
    half = len(trigrams) / 2
    return sum(1 << b for b in range(64) if sum((t >> b) & 1 for t in trigrams) > half)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=400))
def test_packed_simhash_matches_its_definition(text: str) -> None:
    assert simhash(text) == _reference_simhash(text)


# Texts of every length: empty, a word or two, and runs of a few words up to past the cut.
_VOTED_TEXTS = st.one_of(
    st.text(max_size=60),
    st.builds(
        lambda words, count: " ".join(words[i % len(words)] for i in range(count)),
        st.lists(st.sampled_from(["a", "b", "Idlib", "é", "x1", "the"]), min_size=1, max_size=5),
        st.integers(0, 700),
    ),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_VOTED_TEXTS, max_size=40))
def test_texts_voted_together_get_their_own_simhash(texts: list[str]) -> None:
    assert simhashes(texts) == [simhash(text) for text in texts]


def test_a_long_text_voted_with_short_ones_gets_its_own_simhash() -> None:
    texts = [STORY, "", "one", "one two", OTHER, " ".join(["word"] * 3500), edited(STORY)]
    assert simhashes(texts) == [simhash(text) for text in texts]


# Words of any script, and texts past the cut (3000 words) or of a word or two.
_SCRIPT_WORDS = st.sampled_from(
    ["a", "b", "Idlib", "é", "Sarāqib", "x1", "the", "ß", "日本", "A_b", "’", "—", "İ", "9"]
)
_ANY_LENGTH_TEXTS = st.one_of(
    st.text(max_size=40),
    st.builds(
        lambda words, count: " ".join(words[i % len(words)] for i in range(count)),
        st.lists(_SCRIPT_WORDS, min_size=1, max_size=6),
        st.one_of(st.integers(0, 300), st.sampled_from([2999, 3000, 3001, 3002, 3500])),
    ),
)


@settings(max_examples=40, deadline=None)
@given(st.lists(_ANY_LENGTH_TEXTS, max_size=8), st.integers(0, 40))
def test_voted_simhashes_match_the_definition_whenever_the_word_cache_is_cleared(
    texts: list[str], limit: int
) -> None:
    with patch.object(dedupe, "_MAX_CACHED_WORDS", limit):
        assert simhashes(texts) == [_reference_simhash(text) for text in texts]


def test_a_word_cache_cleared_while_a_group_is_looked_up_keeps_the_fingerprints() -> None:
    """As when another thread clears it: every new word's digest clears the cache first, so
    the pad of the shorter texts is looked up again in an empty cache."""
    blake2b = hashlib.blake2b

    def clearing(*args: Any, **kwargs: Any) -> Any:
        dedupe._WORD_DIGESTS.clear()
        return blake2b(*args, **kwargs)

    texts = [f"new words {i} " + " ".join(f"w{i}x{j}" for j in range(i * 9)) for i in range(12)]
    with patch.object(dedupe.hashlib, "blake2b", clearing):
        assert simhashes(texts) == [_reference_simhash(text) for text in texts]


def test_texts_of_every_length_voted_alone_and_together_get_their_own_simhash() -> None:
    """Every length up to past 16 rows per piece of the vote, alone and in groups of two."""
    words = ["Idlib", "the", "army", "Sarāqib", "x1", "a", "of", "M5"]
    texts = [" ".join(words[(i * 7 + count) % 8] for i in range(count)) for count in range(200)]
    assert [simhashes([text]) for text in texts] == [[simhash(text)] for text in texts]
    for count in range(1, 200):
        pair = [texts[count], texts[count - 1] + " end"]
        assert simhashes(pair) == [simhash(text) for text in pair]


def test_simhash_folds_case_and_accents() -> None:
    assert simhash("Sarāqib FELL to the army on Thursday") == simhash(
        "saraqib fell to the army on thursday"
    )


def _near(fingerprint: int, *bits: int) -> int:
    """`fingerprint` with the given bits flipped."""
    for bit in bits:
        fingerprint ^= 1 << bit
    return fingerprint


def test_a_copy_is_found_behind_a_crowded_band(db: Database) -> None:
    """Templated text crowds a band value with unrelated stories: the copy, which shares
    another band, is still found (candidates are capped per band, not overall)."""
    story = 0x1234_5678_9ABC_DEF0
    crowd = [(0xFFFF_0000_0000 | n << 16) << 16 | (story & 0xFFFF) for n in range(100)]
    crowd = [_near(fingerprint, 40, 41, 42, 43) for fingerprint in crowd]
    stored = [(article(f"https://crowd.example/{n}", f"story {n}", "C", 1), None) for n in crowd]
    write_batch(db, stored, fingerprints=crowd)
    copy = _near(story, 0, 1)  # band 0 differs, bands 1-3 agree
    write_batch(db, [(article("https://a.example/1", STORY, "Wire A", 5), None)], [copy])
    result = write_batch(
        db, [(article("https://b.example/1", "the copy", "Paper B", 6), None)], [story]
    )
    assert result.grouped == 1
    dup_of = "select dup_of from articles where url = 'https://b.example/1'"
    assert db.execute(dup_of).fetchone()[0] == "https://a.example/1"


def test_databases_from_before_the_covering_band_indexes_are_migrated(db_path: Path) -> None:
    from core.store import open_db

    old = open_db(db_path)
    for band in range(4):
        old.execute(f"drop index idx_articles_band{band}_simhash")
        old.execute(f"create index idx_articles_band{band} on articles (band{band})")
    old.execute("delete from _sqlite_migrations where name = '0005_band_simhash_indexes'")
    write_batch(old, [(article("https://a.example/1", STORY, "Wire A", 6), None)])
    old.close()
    db = open_db(db_path)
    indexes = {row[0] for row in db.execute("select name from sqlite_master where type='index'")}
    assert {f"idx_articles_band{band}_simhash" for band in range(4)} <= indexes
    assert not {f"idx_articles_band{band}" for band in range(4)} & indexes
    result = write_batch(db, [(article("https://b.example/1", edited(STORY), "Paper B", 7), None)])
    assert result.grouped == 1


FEED_A = "https://a.example/feed.xml"
FEED_B = "https://b.example/feed.xml"


def owned(body: str, feed_url: str | None, title: str = "Town falls") -> Article:
    """The same link, as one feed (or a file ingest, feed_url None) carries it."""
    item = article("https://a.example/1", body, "Wire A", 6, title=title)
    return item.model_copy(update={"feed_url": feed_url})


def mentioning(place: str) -> Extraction:
    return Extraction(places=[PlaceMention(place=place, surface=place, start=0, end=len(place))])


def stored(db: Database) -> tuple[str, str, str | None, list[str]]:
    title, body, feed_url = db.execute("select title, body, feed_url from articles").fetchone()
    places = [row[0] for row in db.execute("select place from place_mentions")]
    return title, body, feed_url, places


def test_another_feed_cannot_rewrite_a_stored_article(db: Database) -> None:
    write_batch(db, [(owned(STORY, FEED_A), mentioning("Saraqeb"))])
    hostile = write_batch(db, [(owned(OTHER, FEED_B, "Forged"), mentioning("Ariha"))])
    assert (hostile.inserted, hostile.updated, hostile.unchanged) == (0, 0, 1)
    assert stored(db) == ("Town falls", STORY, FEED_A, ["Saraqeb"])
    same_feed = write_batch(db, [(owned(OTHER, FEED_A, "Corrected"), mentioning("Ariha"))])
    assert (same_feed.updated, same_feed.unchanged) == (1, 0)
    assert stored(db) == ("Corrected", OTHER, FEED_A, ["Ariha"])


def test_a_file_ingest_updates_its_own_articles_only(db: Database) -> None:
    write_batch(db, [(owned(STORY, None), mentioning("Saraqeb"))])
    from_feed = write_batch(db, [(owned(OTHER, FEED_A, "Forged"), mentioning("Ariha"))])
    assert (from_feed.updated, from_feed.unchanged) == (0, 1)
    from_file = write_batch(db, [(owned(OTHER, None, "Corrected"), mentioning("Ariha"))])
    assert (from_file.updated, from_file.unchanged) == (1, 0)
    assert stored(db) == ("Corrected", OTHER, None, ["Ariha"])


def test_a_file_ingest_cannot_rewrite_a_feeds_article(db: Database) -> None:
    write_batch(db, [(owned(STORY, FEED_A), None)])
    result = write_batch(db, [(owned(OTHER, None, "Forged"), mentioning("Ariha"))])
    assert (result.updated, result.unchanged) == (0, 1)
    assert stored(db) == ("Town falls", STORY, FEED_A, [])


def test_the_first_feed_in_a_batch_owns_a_repeated_link(db: Database) -> None:
    result = write_batch(
        db, [(owned(STORY, FEED_A), None), (owned(OTHER, FEED_B, "Forged"), mentioning("Ariha"))]
    )
    assert (result.inserted, result.updated, result.unchanged) == (1, 0, 1)
    assert stored(db) == ("Town falls", STORY, FEED_A, [])


@settings(max_examples=500, deadline=None)
@given(st.datetimes(timezones=st.just(UTC)))
def test_utc_text_is_isoformat(value: datetime) -> None:
    """The stored text of a UTC time, built from its hour's kept text, is its isoformat
    (with and without microseconds, any year), however many hours were kept before."""
    assert utc_text(value) == value.isoformat()
    assert utc_text(value.replace(microsecond=0)) == value.replace(microsecond=0).isoformat()
