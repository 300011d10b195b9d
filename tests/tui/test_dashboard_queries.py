"""core.query.dashboard on real SQLite files: windows, ordering, counts, latest figures."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from dashboard_fixture import GOV, LAST_LOOK, NOW, OPP, TUR, _article

from core.models import Article, Figure
from core.profile import load_profile
from core.query.dashboard import (
    WINDOWS,
    actor_rows,
    default_window,
    figure_rows,
    headline_rows,
    last_seen,
    latest_figures_at,
    mark_seen,
    newest_urls,
    next_window,
    place_rows,
    prefer_specific_places,
    window_start,
)
from core.store import open_db, write_batch


@pytest.fixture
def db(fixture_path):
    return open_db(fixture_path)


def test_windows_cycle_and_bound_time():
    assert [next_window(w) for w in WINDOWS] == ["7d", "30d", "all", "24h"]
    assert window_start("24h", NOW) == NOW - timedelta(hours=24)
    assert window_start("all", NOW) is None


def test_default_window_is_a_week_for_live_data_and_all_for_an_archive(db):
    assert default_window(db, NOW) == "7d"
    assert default_window(db, NOW + timedelta(days=30)) == "all"


def test_undated_articles_sort_by_fetch_time_among_dated_ones(db):
    undated = Article(
        url="https://undated.example/1",
        title="No date",
        body="Undated body.",
        fetched=datetime(2020, 3, 14, 12, tzinfo=UTC),
    )
    write_batch(db, [(undated, None)])
    urls = newest_urls(db, since=None, limit=4)
    assert urls == [
        "https://news.example/10",
        "https://news.example/7",
        undated.url,
        "https://news.example/11",
    ]
    assert undated.url not in newest_urls(db, since=NOW - timedelta(hours=24), limit=10)


def test_syndicated_copy_is_one_headline_with_its_other_source(db):
    rows = headline_rows(db, now=NOW, window="all", seen_before=LAST_LOOK)
    ceasefire = [r for r in rows if r.headline.title == "Ceasefire takes effect in Idlib"]
    assert len(ceasefire) == 1 and ceasefire[0].headline.also_sources == ["Meridian"]
    assert [r.headline.title for r in rows if r.new] == [
        "[UPDATE] Ceasefire [/] talks resume",
        "Strikes on Ariha kill civilians",
    ]


def test_place_rows_count_windows_and_daily_mentions(db):
    (saraqeb, idlib) = place_rows(db, ["Saraqeb", "Idlib Governorate"], now=NOW)
    assert (saraqeb.side, saraqeb.controller, saraqeb.since) == (
        "government",
        "Syrian government",
        date(2020, 3, 2),
    )
    assert saraqeb.mentions_7d == 1 and saraqeb.daily[-4] == 1  # 13 March
    assert idlib.mentions_24h == 1  # the 16 March article
    assert idlib.latest_figure is not None and idlib.latest_figure.value == 950000  # 10 March


def test_actor_rows_for_all_time_exclude_syndicated_copies(db):
    rows = {r.name: r for r in actor_rows(db, now=NOW, window="all")}
    assert rows["Turkey"].mentions == 3  # 3 stories; the Meridian copy is not counted
    assert rows["Syrian government"].mentions == 5
    assert rows["OCHA"].top_place == "Idlib Governorate"
    assert rows["OCHA"].places[0] == "Idlib Governorate"


def test_most_with_prefers_a_town_or_road_to_a_whole_governorate(db):
    rows = actor_rows(db, now=NOW, window="all")
    broad = load_profile(None).broad_places()
    assert "Idlib Governorate" in broad
    assert not broad & {"Jabal al-Zawiya", "Jobar", "Saraqeb", "M4 highway"}
    specific = {r.name: r for r in prefer_specific_places(rows, broad)}
    for row in rows:
        beside = [p for p in row.places if p not in broad]
        expected = beside[0] if beside else row.top_place
        assert specific[row.name].top_place == expected
    moved = [r for r in rows if r.top_place in broad and specific[r.name].top_place not in broad]
    assert moved  # some actor's most named place was the governorate
    only_regions = rows[0].model_copy(update={"places": ("Idlib Governorate",)})
    kept = prefer_specific_places([only_regions], broad)[0]
    assert kept.top_place == only_regions.top_place


def test_actor_trend_compares_with_the_previous_window(db):
    rows = {r.name: r for r in actor_rows(db, now=NOW, window="7d")}
    assert rows["Syrian opposition"].trend == 1  # 2 this week, 0 the week before
    assert rows["Turkey"].trend == 0  # 1 and 1
    assert GOV[0] in rows and OPP[0] in rows and TUR[0] in rows


def test_figure_rows_latest_per_category_with_disagreement(db):
    rows = {r.category: r for r in figure_rows(db, now=NOW, window="all")}
    assert rows["displaced"].latest.value == 950000
    assert [f.value for f in rows["displaced"].disagreeing] == [900000]
    assert rows["killed"].disagreeing == []
    assert "displaced" not in {r.category for r in figure_rows(db, now=NOW, window="24h")}


def test_latest_figure_falls_back_to_older_reports(db):
    old = _article(
        70,
        date(2019, 6, 1),
        "Wire",
        "Old",
        "Old text.",
        places=["Kafr Nabl"],
        actors=[],
        figures=[
            Figure(
                category="killed",
                value=3,
                place="Kafr Nabl",
                date=date(2019, 6, 1),
                sentence="Old text.",
            )
        ],
    )
    write_batch(db, [old])
    found = latest_figures_at(db, ["Kafr Nabl", "Ariha"], NOW)
    assert found["Kafr Nabl"].value == 3 and found["Ariha"].value == 12


def test_last_seen_round_trip(db):
    assert last_seen(db) == LAST_LOOK
    mark_seen(db, NOW)
    assert last_seen(db) == NOW


def test_headline_places_in_text_order_as_sql_sorts_them(db):
    """A headline's places come in the order they are first named (`first`), as SQLite sorts
    it: a missing position first, then numbers, then anything else; ties by name."""
    from core.query.articles import headlines_for_urls

    url = "https://news.example/7"
    db.conn.execute("delete from place_mentions where url = ?", [url])
    rows = [("Zeta", 5), ("Alpha", 5), ("Mid", None), ("Text", "x"), ("Early", 1)]
    db.conn.executemany(
        "insert into place_mentions (url, place, n, first) values (?, ?, 1, ?)",
        [(url, place, first) for place, first in rows],
    )
    expected = [
        place
        for (place,) in db.conn.execute(
            "select place from place_mentions where url = ? order by url, first", [url]
        )
    ]
    assert expected == ["Mid", "Early", "Alpha", "Zeta", "Text"]
    (headline,) = headlines_for_urls(db.conn, [url])
    assert headline.places == expected
