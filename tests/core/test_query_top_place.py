"""Each actor's most co-mentioned place on the dashboard: the place named most often beside
it among the window's most recent articles; ties go to the first name in order."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlite_utils import Database

from core.models import ActorMention, Article, Extraction, PlaceMention
from core.query import dashboard
from core.query.dashboard import _top_places
from core.store import write_batch

NOW = datetime(2020, 3, 16, 12, tzinfo=UTC)


def _story(
    index: int, hours_ago: int, places: list[str], actors: list[str]
) -> tuple[Article, Extraction]:
    article = Article(
        url=f"https://s{index}.example/story",
        title=f"Story {index}",
        body=f"Story {index} tells its own events, numbered {index * 104729} for its hash.",
        published=NOW - timedelta(hours=hours_ago),
        source=f"s{index}.example",
    )
    found = Extraction(
        places=[PlaceMention(place=p, surface=p, start=0, end=len(p)) for p in places],
        actors=[
            ActorMention(actor=a, side="russia", surface=a, start=0, end=len(a)) for a in actors
        ],
    )
    return article, found


def test_most_co_mentioned_place_wins_and_ties_go_to_the_first_name(db: Database) -> None:
    write_batch(
        db,
        [
            _story(1, 1, ["Saraqeb", "Ariha"], ["Russia", "Turkey"]),
            _story(2, 2, ["Saraqeb"], ["Russia"]),
            _story(3, 3, ["Taftanaz", "Binnish"], ["Turkey"]),
            _story(4, 4, ["Atarib"], ["Iran"]),
            _story(5, 5, [], ["Hezbollah"]),  # named beside no place: no top place
        ],
    )
    top = _top_places(db, NOW - timedelta(days=1), NOW)
    # most named first; ties in name order
    assert top == {
        "Russia": ("Saraqeb", "Ariha"),
        "Turkey": ("Ariha", "Binnish", "Saraqeb", "Taftanaz"),
        "Iran": ("Atarib",),
    }


def test_only_the_most_recent_articles_of_the_window_count(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_batch(
        db,
        [
            _story(1, 1, ["Ariha"], ["Russia"]),
            _story(2, 2, ["Saraqeb"], ["Russia"]),
            _story(3, 3, ["Saraqeb"], ["Russia"]),
            _story(4, 30, ["Atarib"], ["Russia"]),  # outside the last day
        ],
    )
    assert _top_places(db, NOW - timedelta(days=1), NOW) == {"Russia": ("Saraqeb", "Ariha")}
    assert _top_places(db, None, NOW - timedelta(hours=29)) == {"Russia": ("Atarib",)}
    monkeypatch.setattr(dashboard, "CO_MENTION_SAMPLE", 1)
    assert _top_places(db, NOW - timedelta(days=1), NOW) == {"Russia": ("Ariha",)}
