"""Reads about articles: search, headlines, one article, counts."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from core.extraction_version import EXTRACTED_WITH, extraction_version
from core.models import Article, Headline, SearchHit, SourceCount
from core.query.connection import Db, utc_iso
from core.query.fts import build_match


def parse_time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def search(
    db: Db,
    query: str,
    limit: int = 20,
    ranked: bool = False,
    spellings: Callable[[str], list[str]] | None = None,
) -> list[SearchHit]:
    """Full-text search over title and body; newest first unless `ranked`. `spellings`: a
    place's other spellings (`core.extract.spellings`), searched for as well."""
    match = build_match(query, spellings)
    if match is None:
        return []
    order = "rank" if ranked else "a.published desc, rank"
    rows = db.execute(
        "select a.url, a.title, a.source, a.published, "
        "snippet(articles_fts, 1, '[', ']', ' … ', 12) "
        "from articles_fts join articles a on a.rowid = articles_fts.rowid "
        f"where articles_fts match ? and +a.dup_of is null order by {order} limit ?",
        [match, limit],
    ).fetchall()
    return [
        SearchHit(url=u, title=t, source=s, published=parse_time(p), snippet=snip)
        for u, t, s, p, snip in rows
    ]


_HEADLINE_COLUMNS = "url, title, source, published, fetched"


def headlines(db: Db, limit: int = 50, since: datetime | None = None) -> list[Headline]:
    """Newest articles first; a syndicated story appears once, with its other sources."""
    return headlines_for_urls(db, newest_urls(db, since=since, limit=limit))


def newest_urls(db: Db, *, since: datetime | None, limit: int) -> list[str]:
    """The newest stories (by published, else fetched time) using only indexed orderings.

    `order by coalesce(published, fetched)` cannot use an index and sorts the whole table;
    two index walks (dated articles by `published`, undated ones by `fetched`) merged here
    read only `limit` rows each. `+dup_of` keeps SQLite off the dup_of index, which would
    match nearly every row.
    """
    low = [utc_iso(since)] if since is not None else []
    dated = db.execute(
        "select url, published from articles where published is not null and +dup_of is null"
        f"{' and published >= ?' if since else ''} order by published desc limit ?",
        [*low, limit],
    ).fetchall()
    undated = db.execute(
        "select url, fetched from articles where published is null and +dup_of is null"
        f"{' and fetched >= ?' if since else ''} order by +fetched desc limit ?",
        [*low, limit],
    ).fetchall()
    merged = sorted(dated + undated, key=lambda row: _time_or_epoch(row[1]), reverse=True)
    return [url for url, _ in merged[:limit]]


def _time_or_epoch(value: str | None) -> datetime:
    """Rows written by other tools may lack a time: they sort last instead of failing."""
    return parse_time(value) or datetime.fromtimestamp(0, UTC)


def headlines_for_urls(db: Db, urls: list[str]) -> list[Headline]:
    """Headlines for the given articles, in the order given."""
    if not urls:
        return []
    rows = db.execute(
        f"select {_HEADLINE_COLUMNS} from articles where url in ({_in_clause(urls)})", urls
    ).fetchall()
    by_url = {r[0]: r for r in rows}
    return _as_headlines(db, [by_url[u] for u in urls if u in by_url])


def place_articles(db: Db, place: str, limit: int = 50) -> list[Headline]:
    """Articles that mention `place`, newest first."""
    return _mentioning(db, "place_mentions", "place", place, limit)


def actor_articles(db: Db, actor: str, limit: int = 50) -> list[Headline]:
    """Articles that mention `actor`, newest first."""
    return _mentioning(db, "actor_mentions", "actor", actor, limit)


def _mentioning(db: Db, table: str, column: str, name: str, limit: int) -> list[Headline]:
    rows = db.execute(
        f"select m.url from {table} m join articles a on a.url = m.url "
        f"where m.{column} = ? and +a.dup_of is null "
        "order by coalesce(a.published, a.fetched) desc limit ?",
        [name, limit],
    ).fetchall()
    return headlines_for_urls(db, [r[0] for r in rows])


def _as_headlines(db: Db, rows: list[tuple[str, str, str, str | None, str]]) -> list[Headline]:
    urls = [r[0] for r in rows]
    places = _places_of(db, urls)
    copies = _copies_of(db, urls)
    # Stored rows as core wrote them: built without validating them again.
    return [
        Headline.model_construct(
            url=url,
            title=title,
            source=source,
            published=parse_time(published),
            fetched=_time_or_epoch(fetched),
            places=places.get(url, []),
            also_sources=copies.get(url, []),
        )
        for url, title, source, published, fetched in rows
    ]


def _in_clause(urls: list[str]) -> str:
    return ",".join("?" * len(urls))


def _places_of(db: Db, urls: list[str]) -> dict[str, list[str]]:
    if not urls:
        return {}
    # One row (a JSON list) instead of a row per mention (each row handed back takes the GIL
    # again: slow beside a busy UI thread); sorted here as `order by url, first` sorted them
    # (rows of equal `first` in the (url, place) key's order).
    (mentions_json,) = db.execute(
        "select json_group_array(json_array(url, place, first)) from place_mentions "
        f"where url in ({_in_clause(urls)})",
        urls,
    ).fetchone()
    mentions = json.loads(mentions_json)
    mentions.sort(key=_mention_order)
    found: dict[str, list[str]] = {}
    for url, place, _ in mentions:
        found.setdefault(url, []).append(place)
    return found


def _mention_order(mention: list[Any]) -> tuple[Any, ...]:
    """`order by url, first`, then the (url, place) key, as SQLite sorts: NULL, then numbers,
    then text."""
    url, place, first = mention
    return (url, *_sqlite_sort_key(first), *_sqlite_sort_key(place))


def _sqlite_sort_key(value: object) -> tuple[int, Any]:
    if value is None:
        return (0, 0)
    if isinstance(value, int | float):
        return (1, value)
    return (2, value)


def _copies_of(db: Db, urls: list[str]) -> dict[str, list[str]]:
    if not urls:
        return {}
    found: dict[str, list[str]] = {}
    for original, source in db.execute(
        f"select dup_of, source from articles where dup_of in ({_in_clause(urls)})", urls
    ):
        found.setdefault(original, []).append(source)
    return found


ARTICLE_COLUMNS = (
    "url", "title", "body", "published", "source", "fetched", "content_hash", "feed_url",
    "guid", "dup_of", "extra",
)  # fmt: skip


def article_from_row(row: Sequence[Any]) -> Article:
    """An Article from a row of ARTICLE_COLUMNS (extra is stored as JSON text)."""
    data = dict(zip(ARTICLE_COLUMNS, row, strict=True))
    data["extra"] = json.loads(str(data["extra"] or "{}"))
    return Article.model_validate(data)


def get_article(db: Db, url: str) -> Article | None:
    """One stored article by url."""
    row = db.execute(
        f"select {', '.join(ARTICLE_COLUMNS)} from articles where url = ?", [url]
    ).fetchone()
    return None if row is None else article_from_row(row)


def count_articles(db: Db) -> int:
    """The stored articles, as the store's triggers count them (no walk over an index)."""
    return int(db.execute("select n from counts where name = 'articles'").fetchone()[0])


def extraction_is_current(db: Db, articles: int | None = None) -> bool:
    """False when stored articles carry extraction from other rules than this sitrep's (an
    upgrade since they were ingested) or none (`ingest --no-extract`): `sitrep reindex`.
    `articles`: the count, when the caller has just read it."""
    if not (count_articles(db) if articles is None else articles):
        return True
    row = db.execute("select value from meta where key = ?", [EXTRACTED_WITH]).fetchone()
    return row is not None and row[0] == extraction_version()


def source_counts(db: Db) -> list[SourceCount]:
    rows = db.execute(
        "select source, count(*) from articles group by source order by count(*) desc, source"
    ).fetchall()
    return [SourceCount(source=s or "(unknown)", articles=n) for s, n in rows]


def date_range(db: Db) -> tuple[datetime | None, datetime | None]:
    low, high = db.execute("select min(published), max(published) from articles").fetchone()
    return parse_time(low), parse_time(high)


def last_ingest(db: Db) -> datetime | None:
    return parse_time(db.execute("select max(fetched) from articles").fetchone()[0])


def data_version(db: Db) -> int:
    """Changes whenever another connection commits; cheap enough to poll every second."""
    return int(db.execute("PRAGMA data_version").fetchone()[0])
