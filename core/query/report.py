"""The situation report: one model for `sitrep report` (text or --json)."""

from __future__ import annotations

from datetime import datetime

from core.models import Report
from core.profile import Profile
from core.query.actors import actor_summaries
from core.query.articles import (
    count_articles,
    date_range,
    extraction_is_current,
    headlines,
    source_counts,
)
from core.query.connection import Db
from core.query.events import list_events
from core.query.figures import list_figures
from core.query.places import place_statuses


def build_report(
    db: Db,
    profile: Profile | None = None,
    since: datetime | None = None,
    *,
    headline_limit: int = 10,
    item_limit: int = 15,
) -> Report:
    """Counts, sources, date range and headlines; with a profile also places, actors,
    figures and control changes (since `since` where given)."""
    earliest, latest = date_range(db)
    report = Report(
        articles=count_articles(db),
        sources=source_counts(db),
        earliest=earliest,
        latest=latest,
        headlines=headlines(db, limit=headline_limit, since=since),
        extraction_current=extraction_is_current(db),
    )
    if profile is not None:
        day = since.date() if since else None
        report.places = place_statuses(db, profile)
        report.actors = [a for a in actor_summaries(db, profile) if a.mentions][:item_limit]
        report.figures = list_figures(db, since=day, limit=item_limit)
        report.events = list_events(db, since=day, limit=item_limit)
    return report
