"""Every read the CLI and the dashboard need, returning pydantic models. No SQL elsewhere."""

from core.query.actors import ActorDetail, actor_detail, actor_summaries
from core.query.articles import (
    count_articles,
    data_version,
    date_range,
    get_article,
    headlines,
    headlines_for_urls,
    last_ingest,
    place_articles,
    search,
    source_counts,
)
from core.query.events import Control, control_history, current_control, list_events
from core.query.figures import figures_of_article, list_figures, same_figure_reports
from core.query.places import known_places, place_statuses

__all__ = [
    "ActorDetail",
    "Control",
    "actor_detail",
    "actor_summaries",
    "control_history",
    "count_articles",
    "current_control",
    "data_version",
    "date_range",
    "figures_of_article",
    "get_article",
    "headlines",
    "headlines_for_urls",
    "known_places",
    "last_ingest",
    "list_events",
    "list_figures",
    "place_articles",
    "place_statuses",
    "same_figure_reports",
    "search",
    "source_counts",
]
