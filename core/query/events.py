"""Reads about control changes: listings and each place's controller and history."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date
from itertools import groupby
from typing import Any

from core.models import ControlEvent, DatePrecision, Model
from core.query.connection import Db

EVENT_COLUMNS = (
    "e.place, e.actor, e.side, e.verb, e.date, coalesce(e.date_precision, 'day'), e.sentence, "
    "e.url, a.source"
)
# `+a.dup_of` keeps SQLite off the dup_of index (almost every row is null there).
EVENT_FROM = "events e join articles a on a.url = e.url where +a.dup_of is null"


class Control(Model):
    """Who holds a place now, and since when (the start of the holder's unbroken run)."""

    place: str
    actor: str | None
    side: str | None
    since: date | None
    since_precision: DatePrecision = "day"  # "month": the run began in that month


def event_from_row(row: tuple[Any, ...]) -> ControlEvent:
    keys = ("place", "actor", "side", "verb", "date", "date_precision", "sentence", "url", "source")
    return ControlEvent.model_validate(dict(zip(keys, row, strict=True)))


def list_events(
    db: Db, *, place: str | None = None, since: date | None = None, limit: int = 500
) -> list[ControlEvent]:
    """Control changes, newest first."""
    clauses, params = "", []
    if place is not None:
        clauses += " and e.place = ?"
        params.append(place)
    if since is not None:
        clauses += " and e.date >= ?"
        params.append(since.isoformat())
    rows = db.execute(
        f"select {EVENT_COLUMNS} from {EVENT_FROM}{clauses} "
        "order by e.date desc, a.published desc, e.url, e.seq limit ?",
        [*params, limit],
    ).fetchall()
    return [event_from_row(r) for r in rows]


def control_history(db: Db, place: str) -> list[ControlEvent]:
    """Every dated reported change at `place`, oldest first (reports of one change stay
    separate). An undated report (a campaign's tally) has no place in a timeline."""
    rows = db.execute(
        f"select {EVENT_COLUMNS} from {EVENT_FROM} and e.place = ? and e.date is not null "
        "order by e.date, a.published, e.url, e.seq",
        [place],
    ).fetchall()
    return [event_from_row(r) for r in rows]


def current_control(db: Db, places: list[str] | None = None) -> dict[str, Control]:
    """Each place's current holder (every place with events when `places` is None)."""
    if places is None:
        places = [r[0] for r in db.execute("select distinct place from events")]
    found = {place: place_control(db, place) for place in places}
    return {place: control for place, control in found.items() if control is not None}


def place_control(db: Db, place: str) -> Control | None:
    """Who holds `place` now, and since when.

    Reports are grouped by the date of the change; on each date the side most reports give
    wins (ties go to the latest-published report), which keeps one misread sentence from
    flipping a town. `since` is the first date of the holder's unbroken run. Events are read
    newest first and the read stops where that run ends, so a long history costs little.
    """
    cursor = db.execute(
        "select e.actor, e.side, e.date, e.date_precision from events e "
        "join articles a on a.url = e.url "
        "where e.place = ? and e.side is not null and e.date is not null and +a.dup_of is null "
        "order by e.date desc, a.published desc, e.seq desc",
        [place],
    )
    control: Control | None = None
    named: list[str | None] = []  # the holder's actors over its run, newest first
    for day, rows in groupby(cursor, key=lambda row: row[2]):
        dated = list(rows)
        reports = [(a, s) for a, s, _, _ in dated][::-1]  # oldest first
        side = _prevailing_side(reports)
        if control is None:  # its actor is named once the run is known (below)
            control = Control.model_construct(place=place, actor=None, side=side, since=None)
        elif side != control.side:
            break
        named += [a for a, s in reversed(reports) if s == side]
        control.since = date.fromisoformat(day)
        # a month when every report of the side that day gave only the month
        months = all(p == "month" for _, s, _, p in dated if s == side)
        control.since_precision = "month" if months else "day"
    if control is not None:
        control.actor = most_named(named[::-1])
    return control


def most_named(actors: Iterable[str | None]) -> str | None:
    """The actor named most often (ties go to the one named first); None if none is named.

    The place header and each period of its control timeline name the holder by this one
    rule, so the two never disagree about who holds a town.
    """
    counts = Counter(actor for actor in actors if actor)
    return max(counts, key=counts.__getitem__) if counts else None


def _prevailing_side(reports: list[tuple[str | None, str]]) -> str:
    """The side most reports give (later reports win ties)."""
    sides = Counter(side for _, side in reports)
    best = max(sides.values())
    return next(s for _, s in reversed(reports) if sides[s] == best)
