"""Reads about places: tracked places with their controller, mentions and last mention."""

from __future__ import annotations

from datetime import datetime

from core.models import PlaceStatus
from core.profile import PlaceSpec, Profile
from core.query.articles import parse_time
from core.query.connection import Db
from core.query.events import current_control


def known_places(profile: Profile, *, tracked_only: bool = True) -> list[PlaceSpec]:
    """The tracked places in profile order, or every place the profile and gazetteer know."""
    if tracked_only:
        return profile.tracked_places()
    from core.extract.matching import get_matchers

    places: list[PlaceSpec] = get_matchers(profile)[0].places()
    return places


def mention_counts(db: Db, since: datetime | None = None) -> dict[str, tuple[int, datetime | None]]:
    """Articles mentioning each place (near-duplicates counted once) and the latest one."""
    where, params = "", []
    if since is not None:
        where, params = " and a.published >= ?", [since.isoformat()]
    rows = db.execute(
        "select pm.place, count(*), max(a.published) from place_mentions pm "
        f"join articles a on a.url = pm.url where +a.dup_of is null{where} group by pm.place",
        params,
    ).fetchall()
    return {place: (n, parse_time(last)) for place, n, last in rows}


def place_statuses(db: Db, profile: Profile, *, tracked_only: bool = True) -> list[PlaceStatus]:
    """Each place with mentions, last mention and current controller (from control events)."""
    places = known_places(profile, tracked_only=tracked_only)
    counts = mention_counts(db)
    control = current_control(db, [p.name for p in places] if tracked_only else None)
    statuses = []
    for spec in places:
        n, last = counts.get(spec.name, (0, None))
        held = control.get(spec.name)
        statuses.append(
            PlaceStatus(
                **spec.model_dump(
                    include={"name", "kind", "lat", "lon", "admin1", "tracked", "aliases"}
                ),
                mentions=n,
                last_mentioned=last,
                controlled_by=held.actor if held else None,
                controlled_by_side=held.side if held else None,
                control_since=held.since if held else None,
                control_since_precision=held.since_precision if held else "day",
            )
        )
    return statuses
