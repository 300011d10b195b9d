"""Every read the CLI and the dashboard need, returning pydantic models. No SQL elsewhere.

The names below are loaded from their modules on first use (PEP 562): a process that needs
one query module (a poll round's worker reads feeds only) does not import them all.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

_MODULE_OF = {
    **dict.fromkeys(("ActorDetail", "actor_detail", "actor_summaries"), "actors"),
    **dict.fromkeys(
        (
            *("count_articles", "data_version", "date_range", "get_article", "headlines"),
            *("headlines_for_urls", "last_ingest", "place_articles", "search", "source_counts"),
        ),
        "articles",
    ),
    **dict.fromkeys(("Control", "control_history", "current_control", "list_events"), "events"),
    **dict.fromkeys(("figures_of_article", "list_figures", "same_figure_reports"), "figures"),
    **dict.fromkeys(("known_places", "place_statuses"), "places"),
}

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


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"core.query.{module}"), name)
    globals()[name] = value  # later look-ups find it directly
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
