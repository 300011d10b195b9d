"""Reads about actors: summaries (mentions, places, actions, latest quote) and detail."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from core.models import ActorSummary, ControlEvent, Headline, Model, Quote
from core.profile import ActorSpec, Profile
from core.query.articles import actor_articles, parse_time
from core.query.connection import Db
from core.query.events import EVENT_COLUMNS, event_from_row


class ActorDetail(Model):
    """Everything the actor screen shows."""

    summary: ActorSummary
    events: list[ControlEvent] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    place_counts: list[tuple[str, int]] = Field(default_factory=list)
    counterparts: list[tuple[str, int]] = Field(default_factory=list)
    articles: list[Headline] = Field(default_factory=list)


def _aliases(spec: ActorSpec) -> list[str]:
    seen: list[str] = []
    for name in [*spec.aliases, *spec.capitals, *spec.leaders]:
        if name not in seen:
            seen.append(name)
    return seen


def actor_mentions(db: Db) -> dict[str, tuple[int, datetime | None]]:
    rows = db.execute(
        "select am.actor, count(*), max(a.published) from actor_mentions am "
        "join articles a on a.url = am.url where +a.dup_of is null group by am.actor"
    ).fetchall()
    return {actor: (n, parse_time(last)) for actor, n, last in rows}


def co_mentioned_places(db: Db, actor: str, limit: int = 5) -> list[tuple[str, int]]:
    """Places named in the same articles as `actor`, most often first."""
    rows = db.execute(
        "select pm.place, count(*) as n from actor_mentions am "
        "join place_mentions pm on pm.url = am.url join articles a on a.url = am.url "
        "where am.actor = ? and +a.dup_of is null group by pm.place order by n desc, pm.place "
        "limit ?",
        [actor, limit],
    ).fetchall()
    return [(p, n) for p, n in rows]


def counterparts(db: Db, actor: str, limit: int = 5) -> list[tuple[str, int]]:
    """Other actors named in the same articles, most often first."""
    rows = db.execute(
        "select other.actor, count(*) as n from actor_mentions am "
        "join actor_mentions other on other.url = am.url and other.actor != am.actor "
        "join articles a on a.url = am.url where am.actor = ? and +a.dup_of is null "
        "group by other.actor order by n desc, other.actor limit ?",
        [actor, limit],
    ).fetchall()
    return [(p, n) for p, n in rows]


def actor_events(db: Db, actor: str, limit: int = 50) -> list[ControlEvent]:
    rows = db.execute(
        f"select {EVENT_COLUMNS} from events e join articles a on a.url = e.url "
        "where e.actor = ? and +a.dup_of is null order by e.date desc, e.seq limit ?",
        [actor, limit],
    ).fetchall()
    return [event_from_row(r) for r in rows]


def actor_quotes(db: Db, actor: str, limit: int = 20) -> list[Quote]:
    rows = db.execute(
        "select q.actor, q.speaker, q.text, q.date, q.url from quotes q "
        "join articles a on a.url = q.url where q.actor = ? and +a.dup_of is null "
        "order by q.date desc, a.published desc limit ?",
        [actor, limit],
    ).fetchall()
    keys = ("actor", "speaker", "text", "date", "url")
    return [Quote.model_validate(dict(zip(keys, r, strict=True))) for r in rows]


# The actor holds the place after every event; verbs whose subject is the place or the loser
# read from the holder's side ('Saraqeb fell to it', not 'fell to Saraqeb').
_HOLDER_PHRASES = {
    "fell to": "{place} fell to it",
    "lost": "took {place} from its holder",
    "withdrew from": "took {place} after its holder withdrew",
    "repelled": "repelled an attack on {place}",
    "held off": "held off an attack on {place}",
    "fought off": "fought off an attack on {place}",
    "beat back": "beat back an attack on {place}",
    "pushed out": "pushed its rivals out of {place}",
}


# The same, short, for a column beside the holder (a place's timeline, an actor's actions):
# 'withdrew from' next to the government read as if the government had withdrawn.
_HOLDER_VERBS = {
    "fell to": "won (it fell)",
    "lost": "won (rival lost it)",
    "withdrew from": "won (rival left)",
    "pushed out": "pushed rivals out",
}


def holder_verb(verb: str) -> str:
    """How the holder came to hold the place, in the holder's voice."""
    return _HOLDER_VERBS.get(verb, verb)


def _action(verb: str, place: str) -> str:
    return _HOLDER_PHRASES.get(verb, "{verb} {place}").format(verb=verb, place=place)


def _summary_text(
    n: int, places: list[tuple[str, int]], events: list[ControlEvent], quote: Quote | None
) -> str:
    parts = [f"Mentioned in {n} article{'s' if n != 1 else ''}."]
    if places:
        parts.append("Most often with " + ", ".join(p for p, _ in places[:3]) + ".")
    if events:
        e = events[0]
        when = f" on {e.date.isoformat()}" if e.date else ""
        parts.append(f"Latest reported action: {_action(e.verb, e.place)}{when}.")
    if quote is not None:
        who = f" ({quote.speaker})" if quote.speaker else ""
        parts.append(f'Latest quote{who}: "{_shorten(quote.text)}"')
    return " ".join(parts)


def _shorten(text: str, limit: int = 140) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def actor_summaries(db: Db, profile: Profile) -> list[ActorSummary]:
    """Every profile actor with mentions, co-mentioned places and a one-paragraph summary.

    Sorted by mentions, most first; actors never mentioned come last in profile order.
    """
    counts = actor_mentions(db)
    summaries = [_summarise(db, spec, counts.get(spec.name, (0, None))) for spec in profile.actors]
    return sorted(summaries, key=lambda s: -s.mentions)


def _summarise(db: Db, spec: ActorSpec, count: tuple[int, datetime | None]) -> ActorSummary:
    n, last = count
    places = co_mentioned_places(db, spec.name) if n else []
    events = actor_events(db, spec.name, limit=1) if n else []
    quotes = actor_quotes(db, spec.name, limit=1) if n else []
    return ActorSummary(
        name=spec.name,
        side=spec.side,
        kind=spec.kind,
        aliases=_aliases(spec),
        mentions=n,
        places=[p for p, _ in places],
        last_mentioned=last,
        summary=_summary_text(n, places, events, quotes[0] if quotes else None),
    )


def actor_detail(db: Db, profile: Profile, name: str) -> ActorDetail | None:
    """The actor screen's data, or None for a name the profile does not know."""
    spec = next((a for a in profile.actors if a.name == name), None)
    if spec is None:
        return None
    summary = _summarise(db, spec, actor_mentions(db).get(name, (0, None)))
    return ActorDetail(
        summary=summary,
        events=actor_events(db, name),
        quotes=actor_quotes(db, name),
        place_counts=co_mentioned_places(db, name, limit=10),
        counterparts=counterparts(db, name),
        articles=actor_articles(db, name),
    )
