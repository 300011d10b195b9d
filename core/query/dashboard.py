"""Reads only the dashboard needs: windowed counts, daily sparklines, latest figures, last look.

Query plans must not depend on ANALYZE statistics (the store never runs ANALYZE): without
them SQLite takes `dup_of is null` for a selective index lookup and walks nearly every row
through idx_articles_dup_of. So the filter is written `+a.dup_of is null` (no index), and
the indexed terms (published range, place, actor, category/date) drive each query.

Every function that depends on time takes `now`, so the dashboard (and its snapshot tests)
decide what "the last 24 hours" means. Every read is bounded (LIMIT, or a published-date range
on the indexed `published` column) so the first paint costs the same at 1k or 1M articles.
`Reader` serialises one thread-safe connection (plain sqlite3, core.query.connection) so
thread workers can share it.

The main screen's rows are built with `model_construct` from what core itself stored (it was
validated when written): the first paint neither builds those validators nor runs them.
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Callable, Collection, Iterable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, Literal, TypeVar, get_args

from pydantic import Field

from core.models import (
    Article,
    ControlEvent,
    DatePrecision,
    Figure,
    FigureCategory,
    Headline,
    Model,
    Quote,
)
from core.profile import Profile
from core.query.actors import (
    actor_detail,
    actor_events,
    actor_quotes,
    co_mentioned_places,
    counterparts,
)
from core.query.articles import (
    actor_articles,
    count_articles,
    extraction_is_current,
    get_article,
    headlines_for_urls,
    last_ingest,
    newest_urls,
    parse_time,
    place_articles,
)
from core.query.connection import Db, open_read, utc_iso
from core.query.events import Control, control_history, place_control
from core.query.figures import (
    FIGURE_COLUMNS,
    FIGURE_FROM,
    FIGURE_KEYS,
    FIGURE_ORDER,
    figure_from_row,
    figures_of_article,
    list_figure_rows,
    list_figures,
    same_figure_reports,
)

Window = Literal["24h", "7d", "30d", "all"]
WINDOWS: tuple[Window, ...] = ("24h", "7d", "30d", "all")
WINDOW_LABELS: dict[Window, str] = {"24h": "24 h", "7d": "7 days", "30d": "30 days", "all": "all"}
_WINDOW_SPANS: dict[Window, timedelta] = {
    "24h": timedelta(hours=24),
    "7d": timedelta(days=7),
    "30d": timedelta(days=30),
}
SPARK_DAYS = 14
RECENT_FIGURE_DAYS = 14
CO_MENTION_SAMPLE = 2_000  # actors' "most co-mentioned place" looks at this many recent articles
LAST_SEEN_KEY = "dashboard.last_seen"
FIGURE_CATEGORIES: tuple[str, ...] = get_args(FigureCategory)

T = TypeVar("T")


def next_window(window: Window) -> Window:
    """The window `t` moves to: 24 h -> 7 days -> 30 days -> all -> 24 h."""
    return WINDOWS[(WINDOWS.index(window) + 1) % len(WINDOWS)]


def default_window(db: Db, now: datetime) -> Window:
    """7 days when something was published in the last 7 days, else all (an archive).

    Live monitoring wants the last week (and only reads that much); a database of old
    articles would otherwise open on empty panes.
    """
    newest = db.execute(
        "select published from articles where published <= ? order by published desc limit 1",
        [utc_iso(now)],
    ).fetchone()
    recent = newest is not None and newest[0] >= utc_iso(now - _WINDOW_SPANS["7d"])
    return "7d" if recent else "all"


def window_start(window: Window, now: datetime) -> datetime | None:
    """The first instant inside `window` ending at `now` (None: no lower bound)."""
    span = _WINDOW_SPANS.get(window)
    return None if span is None else now - span


# ---- models ----


class StatusInfo(Model):
    """The header line: how much is stored, when it last changed, which feeds fail."""

    articles: int
    last_ingest: datetime | None
    feeds: int = 0
    feed_errors: int = 0
    extraction_current: bool = True  # False: `sitrep reindex` is due (see core.extraction_version)


class HeadlineRow(Model):
    headline: Headline
    new: bool = False
    tracked_places: list[str] = Field(default_factory=list)


class PlaceRow(Model):
    """One tracked place on the main screen."""

    name: str
    controller: str | None = None
    side: str | None = None
    since: date | None = None
    since_precision: DatePrecision = "day"
    mentions_24h: int = 0
    mentions_7d: int = 0
    daily: list[int] = Field(default_factory=list)
    latest_figure: Figure | None = None


class ActorRow(Model):
    """One actor on the main screen: mentions in the window against the window before it."""

    name: str
    side: str
    mentions: int = 0
    recent: int = 0
    previous: int = 0
    top_place: str | None = None
    # the places named most often beside it, most first (ties: by name), up to five
    places: tuple[str, ...] = ()

    @property
    def trend(self) -> int:
        """+1 rising, -1 falling, 0 flat: `recent` against the period before it."""
        return (self.recent > self.previous) - (self.recent < self.previous)


class FigureRow(Model):
    """The latest figure of one category and any report of the same figure that disagrees."""

    category: str
    latest: Figure
    disagreeing: list[Figure] = Field(default_factory=list)


class PlaceDetail(Model):
    name: str
    control: Control | None = None  # the same rule as everywhere (core.query.events)
    history: list[ControlEvent] = Field(default_factory=list)
    figures: list[Figure] = Field(default_factory=list)
    actors: list[tuple[str, str, int]] = Field(default_factory=list)  # name, side, articles
    articles: list[Headline] = Field(default_factory=list)


class ActorDetailView(Model):
    name: str
    side: str = ""
    summary: str = ""
    aliases: list[str] = Field(default_factory=list)
    counterparts: list[tuple[str, int]] = Field(default_factory=list)
    events: list[ControlEvent] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    places: list[tuple[str, int]] = Field(default_factory=list)
    articles: list[Headline] = Field(default_factory=list)


class ArticleView(Model):
    article: Article
    places: list[str] = Field(default_factory=list)
    actors: list[tuple[str, str]] = Field(default_factory=list)  # name, side
    figures: list[Figure] = Field(default_factory=list)
    also_sources: list[str] = Field(default_factory=list)


class Provenance(Model):
    figure: Figure
    article: Article | None = None
    others: list[Figure] = Field(default_factory=list)


# ---- status and "new since last look" ----


def status_info(db: Db) -> StatusInfo:
    feeds, errors = db.execute("select count(*), count(last_error) from feeds").fetchone()
    articles = count_articles(db)
    return StatusInfo.model_construct(
        articles=articles,
        last_ingest=last_ingest(db),
        feeds=feeds,
        feed_errors=errors,
        extraction_current=extraction_is_current(db, articles),
    )


def last_seen(db: Db) -> datetime | None:
    """When the dashboard was last opened on this database (None: never)."""
    row = db.execute("select value from meta where key = ?", [LAST_SEEN_KEY]).fetchone()
    return parse_time(row[0]) if row else None


def mark_seen(db: Db, now: datetime) -> None:
    """Record `now` as the last look: the dashboard's own bookkeeping row in `meta`, written
    here in one IMMEDIATE transaction so the read path never loads the store's writer."""
    db.execute("BEGIN IMMEDIATE")
    try:
        db.execute(
            "insert into meta (key, value) values (?, ?) "
            "on conflict (key) do update set value = excluded.value",
            [LAST_SEEN_KEY, utc_iso(now)],
        )
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


# ---- main screen panes ----


def headline_rows(
    db: Db,
    *,
    now: datetime,
    window: Window,
    seen_before: datetime | None,
    tracked: Iterable[str] = (),
    limit: int = 100,
) -> list[HeadlineRow]:
    """Newest headlines in the window; `new` when fetched after the previous look."""
    wanted = set(tracked)
    urls = newest_urls(db, since=window_start(window, now), limit=limit)
    rows = []
    for item in headlines_for_urls(db, urls):
        new = seen_before is not None and item.fetched > seen_before
        places = [p for p in item.places if p in wanted] if wanted else item.places
        rows.append(HeadlineRow.model_construct(headline=item, new=new, tracked_places=places))
    return rows


def place_rows(db: Db, places: list[str], *, now: datetime) -> list[PlaceRow]:
    """Controller, mention counts, a daily sparkline and the latest figure of each place."""
    if not places:
        return []
    controls = {place: place_control(db, place) for place in places}
    mentions = _mentions(db, places, now)
    figures = latest_figures_at(db, places, now)
    rows = []
    for name in places:
        days, last_day = mentions.get(name, ([0] * SPARK_DAYS, 0))
        control = controls.get(name)
        rows.append(
            PlaceRow.model_construct(
                name=name,
                controller=control.actor if control else None,
                side=control.side if control else None,
                since=control.since if control else None,
                since_precision=control.since_precision if control else "day",
                mentions_24h=last_day,
                mentions_7d=sum(days[-7:]),
                daily=days,
                latest_figure=figures.get(name),
            )
        )
    return rows


def _mentions(db: Db, places: list[str], now: datetime) -> dict[str, tuple[list[int], int]]:
    """Per place: articles per day over the last SPARK_DAYS days ending today, and in the
    last 24 hours (a mention's `published` is its article's, NULL for a syndicated copy).

    The whole days before today come from the store's per-day counts (`place_days`); today
    and the last 24 hours from the (published, place, url) index of the mentions (a day of
    rows).
    """
    today = now.astimezone(UTC).date()
    first = today - timedelta(days=SPARK_DAYS - 1)
    marks = ",".join("?" * len(places))
    found: dict[str, tuple[list[int], int]] = {}
    # One row (a JSON list) instead of a row per place and day: each row handed back takes
    # the GIL again, which a busy UI thread gives up only every switch interval.
    (days_json,) = db.execute(
        "select json_group_array(json_array(place, day, n)) from place_days "
        f"where place in ({marks}) and day >= ? and day < ? and n > 0",
        [*places, first.isoformat(), today.isoformat()],
    ).fetchone()
    for place, day_text, count in json.loads(days_json):
        days, _ = found.setdefault(place, ([0] * SPARK_DAYS, 0))
        days[(date.fromisoformat(day_text) - first).days] += count
    # Stored times are UTC ISO text: a time of today sorts after today's date alone.
    for place, today_count, last_day in db.execute(
        "select place, sum(published >= ?), count(*) from place_mentions "
        f"where +place in ({marks}) and published >= ? and published <= ? group by place",
        [today.isoformat(), *places, utc_iso(now - timedelta(hours=24)), utc_iso(now)],
    ):
        days, _ = found.setdefault(place, ([0] * SPARK_DAYS, 0))
        days[-1] += today_count
        found[place] = (days, last_day)
    return found


def latest_figures_at(db: Db, places: list[str], now: datetime) -> dict[str, Figure]:
    """The newest figure reported at each place.

    Each place is one walk of the (place, date) index, newest date first: SQLite sorts only
    the reports of the newest day (by article time) and stops at the first row. Figures of
    the last RECENT_FIGURE_DAYS up to today come first; a place with none falls back to its
    newest figure of any date.
    """
    since = (now - timedelta(days=RECENT_FIGURE_DAYS)).date().isoformat()
    categories = ",".join("?" * len(FIGURE_CATEGORIES))
    found: dict[str, Figure] = {}
    for place in places:
        row = db.execute(
            f"select {FIGURE_COLUMNS} from {FIGURE_FROM} and f.place = ? "
            f"and f.category in ({categories}) and f.date >= ? and f.date <= ? "
            f"{FIGURE_ORDER} limit 1",
            [place, *FIGURE_CATEGORIES, since, now.date().isoformat()],
        ).fetchone()
        newest = [figure_from_row(row)] if row else list_figures(db, place=place, limit=1)
        if newest:
            found[place] = newest[0]
    return found


def actor_rows(db: Db, *, now: datetime, window: Window, limit: int = 100) -> list[ActorRow]:
    """Actors by mentions in the window; the trend compares the window with the one before.

    For "all" the trend compares the last 7 days with the 7 before them.
    """
    start = window_start(window, now)
    span = now - start if start is not None else timedelta(days=7)
    trend = _actor_trend(db, now - span, span)
    if start is None:
        counts = _all_actor_counts(db)
    else:
        counts = {name: recent for name, (recent, _) in trend.items() if recent}
    sides = _actor_sides(db, counts)
    top = _top_places(db, start, now)
    rows = [
        ActorRow.model_construct(
            name=name,
            side=sides.get(name, ""),
            mentions=count,
            recent=trend.get(name, (0, 0))[0],
            previous=trend.get(name, (0, 0))[1],
            top_place=next(iter(top.get(name, ())), None),
            places=top.get(name, ()),
        )
        for name, count in counts.items()
    ]
    rows.sort(key=lambda r: (-r.mentions, r.name))
    return rows[:limit]


def _actor_trend(db: Db, start: datetime, span: timedelta) -> dict[str, tuple[int, int]]:
    """Per actor, articles mentioning it in [start, start + span] and in the span before
    (an article exactly at `start` belongs to both, as each period includes its ends; a
    mention's `published` is its article's, NULL for a syndicated copy).

    The whole days inside the range come from the store's per-day counts (`actor_days`);
    the days the range's ends and `start` fall on, from the mentions' (published, actor)
    index, a day of rows each.
    """
    low, high = start - span, start + span
    edges = sorted({moment.astimezone(UTC).date() for moment in (low, start, high)})
    mid = start.astimezone(UTC).date().isoformat()
    counts: dict[str, list[int]] = {}
    for actor, recent, before in db.execute(
        "select actor, sum(case when day > ? then n else 0 end), "
        "sum(case when day < ? then n else 0 end) from actor_days "
        f"where day > ? and day < ? and day not in ({','.join('?' * len(edges))}) group by actor",
        [mid, mid, edges[0].isoformat(), edges[-1].isoformat(), *map(date.isoformat, edges)],
    ):
        counts[actor] = [recent, before]
    for edge in edges:  # a day's times sort between its date and its date + "U"
        bounds = [max(utc_iso(low), edge.isoformat()), min(utc_iso(high), f"{edge}U")]
        for actor, recent, before in db.execute(
            "select actor, sum(published >= ?), sum(published <= ?) from actor_mentions "
            "where published >= ? and published <= ? group by actor",
            [utc_iso(start), utc_iso(start), *bounds],
        ):
            total = counts.setdefault(actor, [0, 0])
            total[0] += recent
            total[1] += before
    return {name: (recent, before) for name, (recent, before) in counts.items() if recent or before}


def _actor_sides(db: Db, actors: Iterable[str]) -> dict[str, str]:
    """Each actor's side as its newest mention records it (one index lookup per actor)."""
    sides = {}
    for actor in actors:
        row = db.execute(
            "select side from actor_mentions where actor = ? order by rowid desc limit 1",
            [actor],
        ).fetchone()
        sides[actor] = (row[0] or "") if row else ""
    return sides


def _all_actor_counts(db: Db) -> dict[str, int]:
    """Every article's mentions per actor, syndicated copies left out.

    A mention of a dated original is counted on its day (`actor_days`); every other mention
    has no `published` time: those of undated originals count, those of copies do not. So
    the total reads the day counts and the NULL end of the (published, actor) index, not
    every mention (a scan of two million rows at a million articles).
    """
    counts: Counter[str] = Counter()
    for name, dated in db.execute("select actor, sum(n) from actor_days group by actor"):
        counts[name] += int(dated)
    for name, undated in db.execute(
        "select actor, count(*) from actor_mentions where published is null group by actor"
    ):
        counts[name] += int(undated)
    counts.subtract(_copy_mentions(db))
    return {name: count for name, count in counts.items() if count > 0}


def _copy_mentions(db: Db) -> dict[str, int]:
    """Mentions per actor in syndicated copies (articles whose `dup_of` is set)."""
    return dict(
        db.execute(
            # `dup_of > ''` walks the dup_of index; CROSS JOIN keeps the copies as outer loop
            "select am.actor, count(*) from articles a cross join actor_mentions am "
            "on am.url = a.url where a.dup_of > '' group by am.actor"
        ).fetchall()
    )


def _top_places(db: Db, start: datetime | None, end: datetime) -> dict[str, tuple[str, ...]]:
    """Each actor's most co-mentioned places (`_most_co_mentioned`) among the most recent dated
    articles of the window.

    The sample's actor mentions are read from the mentions' (published, name, url) indexes
    (a mention's `published` is its article's, NULL for a syndicated copy): every article
    newer than the sample's oldest time is in the sample, so only the rows at that time are
    checked against the sample's urls (a few hundred index pages in order, where probing the
    mentions by url read thousands of pages at random). Each is joined with its article's
    place mentions through the same (published, place, url) index, and SQLite hands back one
    row per actor: every place named beside it, as a JSON list. Fetching the ~9,000 mention
    rows of a 2,000-article sample one by one held the GIL for each row (~13 ms at 1M
    articles, beside the UI's start-up); one row per actor leaves Python only the counting.
    """
    low = "" if start is None else "a.published >= ? and "
    params = ([] if start is None else [utc_iso(start)]) + [utc_iso(end)]
    newer = "published > (select * from oldest) and published <= ?"
    oldest = "published = (select * from oldest) and url in (select url from recent)"
    rows = db.execute(
        "with recent as materialized (select url, published from articles a "
        f"where {low}a.published <= ? and +a.dup_of is null order by a.published desc limit ?), "
        "oldest as materialized (select min(published) from recent), "
        f"sample as (select published, url, actor from actor_mentions where {newer} "
        f"union all select published, url, actor from actor_mentions where {oldest}) "
        # `+p.url`: the join walks the (published, place, url) index, not the url key
        "select s.actor, json_group_array(p.place) from sample s join place_mentions p "
        "on p.published = s.published and +p.url = s.url group by s.actor",
        [*params, CO_MENTION_SAMPLE, utc_iso(end)],
    ).fetchall()
    return _most_co_mentioned({actor: json.loads(places) for actor, places in rows})


TOP_PLACES_PER_ACTOR = 5


def _most_co_mentioned(beside: dict[str, list[str]]) -> dict[str, tuple[str, ...]]:
    """Each actor's places named most often beside it, most first (ties: by name), from
    every place named beside it (once per article that names both)."""
    top: dict[str, tuple[str, ...]] = {}
    for actor, named in beside.items():
        ranked = sorted(Counter(named).items(), key=lambda item: (-item[1], item[0]))
        top[actor] = tuple(place for place, _ in ranked[:TOP_PLACES_PER_ACTOR])
    return top


def prefer_specific_places(rows: list[ActorRow], broad: Collection[str]) -> list[ActorRow]:
    """Each actor's most co-mentioned place that is not a whole region (`broad`: a
    governorate is named beside nearly every actor), else its region."""
    if not broad:
        return rows
    return [
        row.model_copy(
            update={"top_place": next((p for p in row.places if p not in broad), row.top_place)}
        )
        for row in rows
    ]


def figure_rows(db: Db, *, now: datetime, window: Window) -> list[FigureRow]:
    """Latest figure per category within the window; disagreeing reports beside it."""
    start = window_start(window, now)
    rows = []
    for category in FIGURE_CATEGORIES:
        latest = _latest_figure(db, category, start, now)
        if latest is None:
            continue
        others = same_figure_reports(db, latest)
        disagreeing = _distinct_values(f for f in others if f.value != latest.value)
        rows.append(
            FigureRow.model_construct(category=category, latest=latest, disagreeing=disagreeing)
        )
    return rows


def _latest_figure(db: Db, category: str, start: datetime | None, now: datetime) -> Figure | None:
    """The newest figure of `category` since `start`, skipping any dated after `now` among
    the 20 newest (only the one kept becomes a Figure)."""
    since = start.date() if start is not None else None
    today = now.date()
    for row in list_figure_rows(db, category=category, since=since, limit=20):
        day = row[FIGURE_KEYS.index("date")]
        if not day or date.fromisoformat(day) <= today:
            return figure_from_row(row)
    return None


def _distinct_values(figures: Iterable[Figure]) -> list[Figure]:
    seen: dict[int, Figure] = {}
    for figure in figures:
        seen.setdefault(figure.value, figure)
    return list(seen.values())


def top_places(db: Db, limit: int = 12) -> list[str]:
    """The most mentioned places (when no profile says which places are tracked)."""
    rows = db.execute(
        "select place from place_mentions group by place order by count(*) desc, place limit ?",
        [limit],
    ).fetchall()
    return [r[0] for r in rows]


def known_names(db: Db, limit: int = 2_000) -> tuple[list[str], list[str]]:
    """Every place and actor name stored (for the command palette)."""
    places = [
        r[0]
        for r in db.execute(
            "select distinct place from place_mentions order by place limit ?", [limit]
        )
    ]
    actors = [
        r[0]
        for r in db.execute(
            "select distinct actor from actor_mentions order by actor limit ?", [limit]
        )
    ]
    return places, actors


# ---- drill-down screens ----


def place_detail(db: Db, name: str, *, limit: int = 100) -> PlaceDetail:
    return PlaceDetail(
        name=name,
        control=place_control(db, name),
        history=control_history(db, name),
        figures=list_figures(db, place=name, limit=limit),
        actors=_actors_at(db, name),
        articles=place_articles(db, name, limit),
    )


def _actors_at(db: Db, place: str, limit: int = 30) -> list[tuple[str, str, int]]:
    rows = db.execute(
        "select am.actor, max(am.side), count(*) as n from place_mentions pm "
        "join actor_mentions am on am.url = pm.url where pm.place = ? "
        "group by am.actor order by n desc, am.actor limit ?",
        [place, limit],
    ).fetchall()
    return [(a, s or "", int(n)) for a, s, n in rows]


def actor_screen(db: Db, profile: Profile | None, name: str) -> ActorDetailView:
    """The actor screen's data: the profile's summary when it knows the actor."""
    detail = actor_detail(db, profile, name) if profile is not None else None
    if detail is not None:
        return ActorDetailView(
            name=name,
            side=detail.summary.side,
            summary=detail.summary.summary,
            aliases=detail.summary.aliases,
            events=detail.events,
            quotes=detail.quotes,
            places=detail.place_counts,
            counterparts=detail.counterparts,
            articles=detail.articles,
        )
    side = db.execute("select side from actor_mentions where actor = ? limit 1", [name]).fetchone()
    return ActorDetailView(
        name=name,
        side=(side[0] or "") if side else "",
        events=actor_events(db, name),
        quotes=actor_quotes(db, name),
        places=co_mentioned_places(db, name, limit=10),
        counterparts=counterparts(db, name),
        articles=actor_articles(db, name),
    )


def article_view(db: Db, url: str) -> ArticleView | None:
    article = get_article(db, url)
    if article is None:
        return None
    places = [
        r[0]
        for r in db.execute("select place from place_mentions where url = ? order by first", [url])
    ]
    actors = [
        (a, s or "")
        for a, s in db.execute(
            "select actor, side from actor_mentions where url = ? order by first", [url]
        )
    ]
    copies = [
        r[0]
        for r in db.execute("select source from articles where dup_of = ? order by source", [url])
    ]
    return ArticleView(
        article=article,
        places=places,
        actors=actors,
        figures=figures_of_article(db, url),
        also_sources=copies,
    )


def provenance(db: Db, figure: Figure) -> Provenance:
    return Provenance(
        figure=figure,
        article=get_article(db, figure.url) if figure.url else None,
        others=same_figure_reports(db, figure),
    )


# ---- a connection shared by thread workers ----


class Reader:
    """One thread-safe connection, used by one thread at a time (queries hold the lock)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._db = open_read(self.path)
        self._lock = threading.Lock()

    def run(self, query: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        with self._lock:
            return query(self._db, *args, **kwargs)

    def close(self) -> None:
        with self._lock:
            self._db.close()
