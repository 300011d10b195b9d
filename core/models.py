"""Pydantic models shared by ingest, extraction, the store, queries and the dashboard.

Everything that crosses a module boundary is one of these; the dashboard only ever sees these.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

FigureCategory = Literal[
    "killed",
    "injured",
    "casualties",
    "displaced",
    "refugees",
    "returnees",
    "aid",
    "in_need",
    "detained",
    "missing",
]
Qualifier = Literal["exact", "approx", "at_least", "at_most", "range"]
DatePrecision = Literal["day", "month"]
PlaceKind = Literal[
    "town", "city", "village", "district", "governorate", "road", "area", "crossing"
]


class Model(BaseModel):
    """The base of every shared model: its validator is built on first use, not at import.

    Building every model's core schema when the module is imported cost ~30 ms of each
    process's start (the dashboard's first paint waited for it); a process builds only the
    validators it uses, once, when it first validates or serialises one.
    """

    model_config = ConfigDict(defer_build=True)


def utcnow() -> datetime:
    """The current time, aware, in UTC (the only clock the core reads)."""
    return datetime.now(UTC)


def content_hash(title: str, body: str) -> str:
    """A stable digest of what an article says, used to tell updates from re-reads."""
    return hashlib.sha256(f"{title}\n\n{body}".encode()).hexdigest()[:32]


class Article(Model):
    """One news article. `url` is its identity: re-ingesting the same url updates it."""

    model_config = ConfigDict(extra="forbid")

    url: str = Field(min_length=1, max_length=4096)
    title: str = ""
    body: str = ""
    published: datetime | None = None
    source: str = ""
    fetched: datetime = Field(default_factory=utcnow)
    content_hash: str = ""
    feed_url: str | None = None
    guid: str | None = None
    dup_of: str | None = None
    extra: dict[str, Any] = Field(default_factory=dict)

    @field_validator("published", "fetched")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        """Naive datetimes are taken as UTC so every stored time compares with every other."""
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value

    def model_post_init(self, __context: Any) -> None:
        if not self.content_hash:
            self.content_hash = content_hash(self.title, self.body)


class PlaceMention(Model):
    """A place found in an article: canonical name plus where it stood in the text."""

    place: str
    surface: str
    start: int
    end: int


class ActorMention(Model):
    """An actor found in an article, by name, alias, capital, adjective or leader."""

    actor: str
    side: str
    surface: str
    start: int
    end: int


class Figure(Model):
    """A humanitarian number, traceable to the sentence it came from."""

    category: FigureCategory
    value: int
    low: int | None = None
    high: int | None = None
    qualifier: Qualifier = "exact"
    group: str | None = None
    place: str | None = None
    actor: str | None = None
    date: dt.date | None = None
    sentence: str = ""
    url: str = ""
    source: str = ""


class ControlEvent(Model):
    """A change of control: `actor` (of `side`) holds `place` after it."""

    type: Literal["control_change"] = "control_change"
    place: str
    actor: str | None = None
    side: str | None = None
    verb: str
    date: dt.date | None = None
    # "month": the text gave only the month ('in August 2019'); `date` is its first day
    date_precision: DatePrecision = "day"
    sentence: str = ""
    url: str = ""
    source: str = ""


def day_text(value: dt.date, precision: str = "day") -> str:
    """A date as precise as its source: '2020-02-06', or '2019-08' for a month."""
    return value.strftime("%Y-%m") if precision == "month" else value.isoformat()


class Quote(Model):
    """A quotation attributed to an actor ("said", "told")."""

    actor: str
    speaker: str = ""
    text: str
    date: dt.date | None = None
    url: str = ""


class Extraction(Model):
    """Everything extraction finds in one article."""

    places: list[PlaceMention] = Field(default_factory=list)
    actors: list[ActorMention] = Field(default_factory=list)
    figures: list[Figure] = Field(default_factory=list)
    events: list[ControlEvent] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)


class Feed(Model):
    """A polled feed and its HTTP state."""

    url: str
    title: str = ""
    html_url: str | None = None
    category: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    last_status: int | None = None
    last_error: str | None = None
    last_ok: datetime | None = None
    last_fetch: datetime | None = None
    next_fetch: datetime | None = None
    failures: int = 0
    interval: int = 900
    articles: int = 0


# ---- query results (what the CLI and the dashboard read) ----


class SearchHit(Model):
    url: str
    title: str
    source: str
    published: datetime | None
    snippet: str


class Headline(Model):
    """An article as a headline: syndicated copies are folded into `also_sources`."""

    url: str
    title: str
    source: str
    published: datetime | None
    fetched: datetime
    places: list[str] = Field(default_factory=list)
    also_sources: list[str] = Field(default_factory=list)


class PlaceStatus(Model):
    name: str
    kind: str
    lat: float | None = None
    lon: float | None = None
    admin1: str | None = None
    tracked: bool = False
    aliases: list[str] = Field(default_factory=list)
    mentions: int = 0
    last_mentioned: datetime | None = None
    controlled_by: str | None = None
    controlled_by_side: str | None = None
    control_since: dt.date | None = None
    control_since_precision: DatePrecision = "day"


class ActorSummary(Model):
    name: str
    side: str
    kind: str
    aliases: list[str] = Field(default_factory=list)
    mentions: int = 0
    places: list[str] = Field(default_factory=list)
    last_mentioned: datetime | None = None
    summary: str = ""


class SourceCount(Model):
    source: str
    articles: int


class Report(Model):
    """The situation report (`sitrep report --json`)."""

    articles: int
    sources: list[SourceCount]
    earliest: datetime | None
    latest: datetime | None
    headlines: list[Headline]
    places: list[PlaceStatus] = Field(default_factory=list)
    actors: list[ActorSummary] = Field(default_factory=list)
    figures: list[Figure] = Field(default_factory=list)
    events: list[ControlEvent] = Field(default_factory=list)
    # False: the stored extraction is from other rules (or none): `sitrep reindex` renews it
    extraction_current: bool = True
