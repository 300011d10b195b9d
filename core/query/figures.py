"""Reads about humanitarian figures: listings, provenance and the other reports of one figure."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from core.models import Figure
from core.query.connection import Db

FIGURE_COLUMNS = (
    "f.category, f.value, f.low, f.high, f.qualifier, f.grp, f.place, f.actor, f.date, "
    "f.sentence, f.url, a.source"
)
FIGURE_FROM = "figures f join articles a on a.url = f.url where +a.dup_of is null"
# Several articles report the same event: newest report date first, then newest article.
FIGURE_ORDER = "order by f.date desc, a.published desc, f.url, f.seq"


FIGURE_KEYS = (
    "category", "value", "low", "high", "qualifier", "group", "place", "actor", "date",
    "sentence", "url", "source",
)  # fmt: skip


def figure_from_row(row: tuple[Any, ...]) -> Figure:
    """A Figure from a row of FIGURE_COLUMNS, as core stored it (validated when it was written,
    so it is not validated again: only the date text becomes a date)."""
    fields = dict(zip(FIGURE_KEYS, row, strict=True))
    day = fields["date"]
    fields["date"] = date.fromisoformat(day) if day else None
    return Figure.model_construct(**fields)


def list_figures(
    db: Db,
    *,
    category: str | None = None,
    place: str | None = None,
    since: date | None = None,
    limit: int = 200,
) -> list[Figure]:
    """Figures newest first, optionally for one category and/or one (canonical) place."""
    rows = list_figure_rows(db, category=category, place=place, since=since, limit=limit)
    return [figure_from_row(r) for r in rows]


def list_figure_rows(
    db: Db,
    *,
    category: str | None = None,
    place: str | None = None,
    since: date | None = None,
    limit: int = 200,
) -> list[tuple[Any, ...]]:
    """list_figures' rows (FIGURE_COLUMNS), for a caller that builds only the Figures it keeps."""
    where, params = _filters(category=category, place=place, since=since)
    return db.execute(
        f"select {FIGURE_COLUMNS} from {FIGURE_FROM}{where} {FIGURE_ORDER} limit ?",
        [*params, limit],
    ).fetchall()


def _filters(
    *, category: str | None, place: str | None, since: date | None
) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    for column, value in (("f.category", category), ("f.place", place)):
        if value is not None:
            clauses.append(f"{column} = ?")
            params.append(value)
    if since is not None:
        clauses.append("f.date >= ?")
        params.append(since.isoformat())
    return "".join(f" and {c}" for c in clauses), params


def same_figure_reports(db: Db, figure: Figure, days: int = 3) -> list[Figure]:
    """Other reports of the same figure: same category and place within a few days."""
    if figure.date is None:
        return []
    low = (figure.date - timedelta(days=days)).isoformat()
    high = (figure.date + timedelta(days=days)).isoformat()
    rows = db.execute(
        f"select {FIGURE_COLUMNS} from {FIGURE_FROM} and f.category = ? and f.place is ? "
        "and f.date between ? and ? and not (f.url = ? and f.sentence = ?) "
        f"{FIGURE_ORDER} limit 50",
        [figure.category, figure.place, low, high, figure.url, figure.sentence],
    ).fetchall()
    return [figure_from_row(r) for r in rows]


def figures_of_article(db: Db, url: str) -> list[Figure]:
    """Figures found in one article, in text order."""
    rows = db.execute(
        f"select {FIGURE_COLUMNS} from figures f join articles a on a.url = f.url "
        "where f.url = ? order by f.seq",
        [url],
    ).fetchall()
    return [figure_from_row(r) for r in rows]
