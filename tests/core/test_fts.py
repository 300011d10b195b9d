"""Search never raises on what a user types, and still finds what it should."""

from __future__ import annotations

import pytest
from sqlite_utils import Database

from core.models import Article
from core.query.articles import search
from core.query.fts import build_match
from core.store import write_batch

DOCS = {
    "https://x.example/cpp": ("Compilers", "The firmware was written in C++ by contractors."),
    "https://x.example/us": ("Washington reacts", "The U.S. envoy called for a ceasefire."),
    "https://x.example/quds": ("Jerusalem", "Protesters marched to al-Quds on Friday."),
    "https://x.example/shell": ("Artillery", "Heavy shelling hit Sarāqib overnight."),
    "https://x.example/near": ("Operators", "Talks were held NEAR the border, AND OR NOT."),
}


@pytest.fixture
def filled(db: Database) -> Database:
    write_batch(
        db,
        [
            (Article(url=url, title=title, body=body, source="Test"), None)
            for url, (title, body) in DOCS.items()
        ],
    )
    return db


def urls(db: Database, query: str) -> set[str]:
    return {hit.url for hit in search(db, query, limit=50)}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("C++", "https://x.example/cpp"),
        ("U.S.", "https://x.example/us"),
        ("al-Quds", "https://x.example/quds"),
        ("shell*", "https://x.example/shell"),
        ("saraqib", "https://x.example/shell"),  # diacritics folded
        ('"heavy shelling"', "https://x.example/shell"),
        ("NEAR(", "https://x.example/near"),
        ("AND OR NOT", "https://x.example/near"),
    ],
)
def test_hostile_queries_find_their_document(filled: Database, query: str, expected: str) -> None:
    assert expected in urls(filled, query)


@pytest.mark.parametrize(
    "query",
    ['"unbalanced', "*", "", "   ", "-", "^", "(", ")", ":", "col:value", '"" ""', "NEAR(a b", "'"],
)
def test_queries_without_search_words_never_raise(filled: Database, query: str) -> None:
    search(filled, query)


def test_words_joined_by_punctuation_stay_a_phrase(filled: Database) -> None:
    assert urls(filled, "al-Quds") == {"https://x.example/quds"}
    assert urls(filled, "Quds-al") == set()


def test_snippet_marks_the_match(filled: Database) -> None:
    [hit] = search(filled, "envoy")
    assert "[envoy]" in hit.snippet
    assert hit.title == "Washington reacts"


def _spellings(name: str) -> list[str]:
    known = {"saraqib": ["Saraqeb", "Saraqib", "Sraqeb"], "saraqeb": ["Saraqeb", "Saraqib"]}
    return known.get(name.casefold(), [])


def test_a_place_searches_every_spelling() -> None:
    assert build_match("Saraqib", _spellings) == '("Saraqeb" OR "Saraqib" OR "Sraqeb")'
    both = build_match("Saraqib shelling", _spellings)
    assert both == '("Saraqeb" OR "Saraqib" OR "Sraqeb") AND "shelling"'
    assert build_match("Saraq*", _spellings) == '"Saraq"*'  # a prefix stays a prefix
    assert build_match("shelling", _spellings) == '"shelling"'  # unknown: as before


def test_search_for_one_spelling_finds_another_in_a_real_store(filled: Database) -> None:
    """The stored article writes 'Sarāqib'; 'Saraqeb' finds it with the spellings, not without."""
    assert {h.url for h in search(filled, "Saraqeb", spellings=_spellings)} == {
        "https://x.example/shell"
    }
    assert search(filled, "Saraqeb") == []
    assert {h.url for h in search(filled, "Saraqeb shelling", spellings=_spellings)} == {
        "https://x.example/shell"
    }


def test_the_index_merges_its_segments_sixteen_at_a_time(tmp_path) -> None:
    """A store, new or migrated from before the setting, merges FTS5 segments 16 at a time
    (cheaper writes); many small writes still leave one searchable index."""
    from core.store import FTS_AUTOMERGE, migrations, open_db

    db = open_db(tmp_path / "new.db")
    setting = "select v from articles_fts_config where k = 'automerge'"
    assert db.execute(setting).fetchone() == (FTS_AUTOMERGE,) == (16,)
    db.execute("delete from articles_fts_config where k = 'automerge'")
    db.execute("delete from _sqlite_migrations where name = '0012_fts_automerge'")
    db.close()
    db = open_db(tmp_path / "new.db")
    assert migrations.pending(db) == [] and db.execute(setting).fetchone() == (16,)
    for n in range(40):  # a segment per transaction: merged once 16 wait at a level
        body = f"Shelling hit Saraqeb again on day {n}."
        write_batch(db, [(Article(url=f"https://x.example/{n}", title="t", body=body), None)])
    assert len(search(db, "Saraqeb", limit=100)) == 40
    assert (
        db.execute(
            "insert into articles_fts(articles_fts, rank) values ('integrity-check', 1)"
        ).fetchall()
        == []
    )
    db.close()
