"""Every read the CLI and the dashboard need, returning pydantic models. No SQL elsewhere."""

from core.query.articles import (
    count_articles,
    data_version,
    date_range,
    get_article,
    headlines,
    last_ingest,
    search,
    source_counts,
)

__all__ = [
    "count_articles",
    "data_version",
    "date_range",
    "get_article",
    "headlines",
    "last_ingest",
    "search",
    "source_counts",
]
