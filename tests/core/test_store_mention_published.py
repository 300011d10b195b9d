"""Mentions carry their article's published time (NULL for a copy): every write path keeps it
equal to the article's, and the dashboard's windowed counts read it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlite_utils
from sqlite_utils import Database

from core import store
from core.models import ActorMention, Article, Extraction, PlaceMention
from core.query.articles import count_articles
from core.query.dashboard import _actor_trend, _mentions, _top_places
from core.reindex import reindex_all
from core.store import open_db, write_batch

NOW = datetime(2020, 2, 10, 12, tzinfo=UTC)
STORY = " ".join(
    [
        "Government forces entered the town on Wednesday after encircling it for several days,",
        "and by Thursday morning the army said it had cleared the last pockets of resistance.",
        "Rebels said they had pulled back to villages to the west, and families kept leaving",
        "towards the border camps, which aid agencies described as overcrowded and cold.",
    ]
)


def extraction(place: str = "Saraqeb", actor: str = "Russia") -> Extraction:
    return Extraction(
        places=[PlaceMention(place=place, surface=place, start=0, end=len(place))],
        actors=[ActorMention(actor=actor, side="russia", surface=actor, start=9, end=15)],
    )


def article(url: str, published: datetime | None, body: str = STORY) -> Article:
    return Article(url=url, title="Town falls", body=body, source="Wire", published=published)


def mention_times(db: Database) -> set[tuple[str, str, str | None]]:
    rows = db.execute(
        "select 'place', url, published from place_mentions "
        "union all select 'actor', url, published from actor_mentions"
    ).fetchall()
    return {(kind, url, published) for kind, url, published in rows}


def expected_times(db: Database) -> set[tuple[str, str, str | None]]:
    """What the mentions must carry: the article's time unless it is a copy (or missing)."""
    rows = db.execute(
        "select 'place', m.url, a.published, a.dup_of from place_mentions m "
        "left join articles a on a.url = m.url union all "
        "select 'actor', m.url, a.published, a.dup_of from actor_mentions m "
        "left join articles a on a.url = m.url"
    ).fetchall()
    return {(kind, url, None if dup else published) for kind, url, published, dup in rows}


def assert_day_counts_match(db: Database) -> None:
    """The per-day count tables hold what counting the mentions gives."""
    for table, name, days in (
        ("place_mentions", "place", "place_days"),
        ("actor_mentions", "actor", "actor_days"),
    ):
        counted = db.execute(
            f"select {name}, substr(published, 1, 10), count(*) from {table} "
            "where published is not null group by 1, 2"
        ).fetchall()
        kept = db.execute(f"select {name}, day, n from {days} where n != 0").fetchall()
        assert sorted(kept) == sorted(counted)


def test_written_mentions_carry_the_articles_time_and_a_copy_none(db: Database) -> None:
    when = NOW - timedelta(hours=3)
    write_batch(db, [(article("https://a.example/1", when), extraction())])
    write_batch(db, [(article("https://b.example/1", when), extraction())])  # the same story
    assert db.execute("select dup_of from articles where url like 'https://b%'").fetchone()[0]
    assert mention_times(db) == {
        ("place", "https://a.example/1", when.isoformat()),
        ("actor", "https://a.example/1", when.isoformat()),
        ("place", "https://b.example/1", None),
        ("actor", "https://b.example/1", None),
    }
    assert _mentions(db, ["Saraqeb"], NOW)["Saraqeb"][1] == 1  # the copy is not counted
    assert _actor_trend(db, NOW - timedelta(days=7), timedelta(days=7)) == {"Russia": (1, 0)}
    assert_day_counts_match(db)


def test_an_updated_article_moves_its_mentions_to_its_new_time(db: Database) -> None:
    url = "https://a.example/1"
    write_batch(db, [(article(url, NOW - timedelta(days=20)), extraction())])
    assert _mentions(db, ["Saraqeb"], NOW) == {}
    write_batch(db, [(article(url, NOW - timedelta(hours=1), STORY + " Update."), extraction())])
    assert mention_times(db) == expected_times(db)
    days, last_day = _mentions(db, ["Saraqeb"], NOW)["Saraqeb"]
    assert (days[-1], last_day) == (1, 1)
    assert_day_counts_match(db)


def test_any_change_to_an_article_row_reaches_its_mentions(db: Database) -> None:
    """Triggers: a time or dup_of set by any statement, and a deleted article."""
    for index in range(3):
        body = f"{STORY} Report number {index} " + "differs entirely " * index * 20
        when = NOW - timedelta(hours=index + 1)
        write_batch(db, [(article(f"https://a.example/{index}", when, body), extraction())])
    with db.conn:
        db.execute("update articles set published = ? where url = 'https://a.example/0'", ["x"])
        db.execute("update articles set dup_of = 'https://a.example/0' where url like '%/1'")
        db.execute("delete from articles where url = 'https://a.example/2'")
    assert mention_times(db) == expected_times(db)
    assert ("place", "https://a.example/0", "x") in mention_times(db)
    assert_day_counts_match(db)
    with db.conn:
        db.execute("update articles set dup_of = null where url like '%/1'")
    assert mention_times(db) == expected_times(db)
    assert ("actor", "https://a.example/1", (NOW - timedelta(hours=2)).isoformat()) in (
        mention_times(db)
    )
    assert_day_counts_match(db)


def test_reindex_writes_the_time_too(db: Database) -> None:
    write_batch(db, [(article("https://a.example/1", NOW), extraction())])
    write_batch(db, [(article("https://b.example/1", NOW), extraction())])
    write_batch(db, [(article("https://c.example/1", None, "Short undated note."), extraction())])
    reindex_all(db, lambda _article: extraction("Ariha", "Turkey"))
    assert {r[0] for r in db.execute("select place from place_mentions")} == {"Ariha"}
    assert mention_times(db) == expected_times(db)
    assert ("place", "https://c.example/1", None) in mention_times(db)
    assert_day_counts_match(db)


def test_migration_fills_times_and_count_of_what_was_stored_before_it(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    older = sqlite_utils.Migrations("sitrep")
    for migration in store.migrations._migrations:
        if migration.name < "0006":  # the schema before mentions had times
            older(name=migration.name)(migration.fn)
    db = Database(path)
    older.apply(db)
    rows = [
        ("https://a.example/1", NOW.isoformat(), None),
        ("https://b.example/1", NOW.isoformat(), "https://a.example/1"),
        ("https://c.example/1", None, None),
    ]
    for url, published, dup_of in rows:
        db.execute(
            "insert into articles (url, title, body, published, dup_of) values (?, '', '', ?, ?)",
            [url, published, dup_of],
        )
        db.execute("insert into place_mentions values (?, 'Saraqeb', 1, 0)", [url])
        db.execute("insert into actor_mentions values (?, 'Russia', 'russia', 1, 0)", [url])
    db.execute("insert into place_mentions values ('https://gone.example/', 'Ariha', 1, 0)")
    db.conn.commit()
    db.close()
    migrated = open_db(path)
    assert mention_times(migrated) == expected_times(migrated)
    assert ("place", "https://a.example/1", NOW.isoformat()) in mention_times(migrated)
    assert _top_places(migrated, NOW - timedelta(days=1), NOW) == {"Russia": ("Saraqeb",)}
    assert count_articles(migrated) == 3
    assert_day_counts_match(migrated)


def test_the_article_count_follows_inserts_updates_and_deletes(db: Database) -> None:
    def stored() -> tuple[int, int]:
        counted = count_articles(db)
        return counted, db.execute("select count(*) from articles").fetchone()[0]

    for index in range(3):
        body = f"{STORY} Report number {index} " + "differs entirely " * index * 20
        write_batch(db, [(article(f"https://a.example/{index}", NOW, body), None)])
    assert stored() == (3, 3)
    write_batch(db, [(article("https://a.example/0", NOW, STORY + " Update."), None)])
    assert stored() == (3, 3)
    with db.conn:
        db.execute("delete from articles where url = 'https://a.example/2'")
    assert stored() == (2, 2)
    assert_day_counts_match(db)
