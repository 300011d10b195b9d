"""Exports (CSV, JSON Lines, GeoJSON) and the JSON shape of one extraction."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Iterable
from typing import Any

from sqlite_utils import Database

from core.models import Extraction
from core.profile import PlaceSpec, Profile

FORMATS = ("csv", "jsonl", "geojson")
WHAT = ("events", "figures", "articles", "places")


class ExportError(ValueError):
    """An export that cannot be made, with a message naming the option."""


def extraction_json(found: Extraction, profile: Profile) -> dict[str, list[dict[str, Any]]]:
    """`sitrep extract --json`: the listing commands' keys, counted within this text."""
    from core.extract.matching import get_matchers

    place_matcher, actor_matcher = get_matchers(profile)
    place_counts = Counter(m.place for m in found.places)
    actor_counts = Counter(m.actor for m in found.actors)
    return {
        "places": [_place_json(place_matcher.lookup(n), n, c) for n, c in place_counts.items()],
        "actors": [_actor_json(actor_matcher.lookup(n), n, c) for n, c in actor_counts.items()],
        "figures": [f.model_dump(mode="json") for f in found.figures],
        "events": [e.model_dump(mode="json") for e in found.events],
    }


def _place_json(spec: PlaceSpec | None, name: str, count: int) -> dict[str, Any]:
    base = (
        spec.model_dump(include={"name", "kind", "lat", "lon", "admin1", "tracked"})
        if spec
        else {"name": name}
    )
    return {**base, "mentions": count}


def _actor_json(spec: Any, name: str, count: int) -> dict[str, Any]:
    if spec is None:
        return {"name": name, "mentions": count}
    return {"name": spec.name, "side": spec.side, "kind": spec.kind, "mentions": count}


def export_rows(db: Database, profile: Profile, what: str, fmt: str) -> str:
    """The whole export as text."""
    if what not in WHAT:
        raise ExportError(f"--what {what!r}: choose one of {', '.join(WHAT)}")
    if fmt not in FORMATS:
        raise ExportError(f"--format {fmt!r}: choose one of {', '.join(FORMATS)}")
    records = list(_records(db, profile, what))
    if fmt == "csv":
        return _csv(records)
    if fmt == "jsonl":
        return "".join(json.dumps(r, ensure_ascii=False, default=str) + "\n" for r in records)
    return _geojson(records, _coordinates(profile), what)


def _records(db: Database, profile: Profile, what: str) -> Iterable[dict[str, Any]]:
    from core import query

    if what == "events":
        return (e.model_dump(mode="json") for e in query.list_events(db, limit=1_000_000))
    if what == "figures":
        return (f.model_dump(mode="json") for f in query.list_figures(db, limit=1_000_000))
    if what == "places":
        return (
            p.model_dump(mode="json") for p in query.place_statuses(db, profile, tracked_only=False)
        )
    return (
        {"url": u, "title": t, "source": s, "published": p}
        for u, t, s, p in db.execute(
            "select url, title, source, published from articles order by published"
        )
    )


def _csv(records: list[dict[str, Any]]) -> str:
    if not records:
        return ""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(records[0]), extrasaction="ignore")
    writer.writeheader()
    for record in records:
        writer.writerow(
            {
                k: json.dumps(v, ensure_ascii=False) if isinstance(v, list | dict) else v
                for k, v in record.items()
            }
        )
    return out.getvalue()


def _coordinates(profile: Profile) -> dict[str, tuple[float, float]]:
    from core.extract.matching import get_matchers

    return {
        p.name: (p.lon, p.lat)
        for p in get_matchers(profile)[0].places()
        if p.lat is not None and p.lon is not None
    }


def _geojson(
    records: list[dict[str, Any]], coords: dict[str, tuple[float, float]], what: str
) -> str:
    """Features for records with a known place; articles have none, so GeoJSON refuses them."""
    if what == "articles":
        raise ExportError("--format geojson: articles have no coordinates (use csv or jsonl)")
    key = "name" if what == "places" else "place"
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": list(coords[r[key]])},
            "properties": r,
        }
        for r in records
        if r.get(key) in coords
    ]
    return (
        json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False) + "\n"
    )
