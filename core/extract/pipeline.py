"""The one entry point of extraction: `Extractor.extract(article) -> Extraction`.

Places and actors are matched once over the whole text (title and body); figures, control
changes and quotes are read sentence by sentence, each sentence only by the extractors whose
cheap prefilter it passes (a set look-up of its words: a number and a cue word for figures, a
control verb for events, an attribution verb for quotes). Date references are parsed only for
sentences that yield something. A failure inside one sentence skips that sentence, never the
article, so `extract` never raises on any text. Every regex is linear and sentences are capped
at 2,000 characters, so it never hangs either.
"""

from __future__ import annotations

import logging
import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any, Protocol, TypeVar

from pydantic import TypeAdapter, ValidationError

from core.extract import ActorRef, PlaceRef, word_set
from core.extract.dates import (
    MONTHS,
    OFFSET_COUNT,
    DateRef,
    date_near,
    date_precision,
    find_dates,
    first_date,
    offset_days,
)
from core.extract.events import NON_COMBATANT_SIDES, EventContext, find_events, might_have_events
from core.extract.figures import FigureDraft, find_figures, might_have_figures
from core.extract.matching import Tokens, tokenize
from core.extract.numbers import NUMBER_WORDS
from core.extract.quotes import find_quote, might_have_quotes
from core.extract.sentences import Sentence, split_sentences
from core.models import (
    ActorMention,
    Article,
    ControlEvent,
    Extraction,
    Figure,
    PlaceMention,
    Quote,
)
from core.profile import Profile

log = logging.getLogger(__name__)
M = TypeVar("M", Figure, ControlEvent, Quote)

_DIGIT = re.compile(r"\d")
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_SPOKEN_NUMBERS = NUMBER_WORDS  # "a hundred", "tens of thousands" contain one of these
_MONTH_WORDS = frozenset(MONTHS)
_DATE_HINTS = _MONTH_WORDS | word_set(
    """
    monday tuesday wednesday thursday friday saturday sunday yesterday today tonight overnight
    morning afternoon evening week weeks month months day days earlier ago
    """
)


class PlaceFinder(Protocol):
    def find(self, text: str) -> list[PlaceMention]: ...


class ActorFinder(Protocol):
    def find(self, text: str) -> list[ActorMention]: ...


@dataclass(slots=True)
class _LocalPlace:
    """A place mention with offsets into one sentence (cheaper than a pydantic copy)."""

    place: str
    surface: str
    start: int
    end: int


@dataclass(slots=True)
class _LocalActor:
    """An actor mention with offsets into one sentence."""

    actor: str
    side: str
    surface: str
    start: int
    end: int


@cache
def _validators() -> tuple[
    TypeAdapter[list[Figure]], TypeAdapter[list[ControlEvent]], TypeAdapter[list[Quote]]
]:
    """Validators for whole lists of results (built on first use, like the models' own)."""
    return TypeAdapter(list[Figure]), TypeAdapter(list[ControlEvent]), TypeAdapter(list[Quote])


def _validated(adapter: TypeAdapter[list[M]], items: list[dict[str, Any]]) -> list[M]:
    """`items` as models; should one not validate, the others still do (never raises)."""
    if not items:
        return []
    try:
        return adapter.validate_python(items)
    except ValidationError:
        kept: list[M] = []
        for item in items:
            try:
                kept.extend(adapter.validate_python([item]))
            except ValidationError:
                log.exception("an extracted item did not validate; skipped")
        return kept


def _shifted_places(mentions: Sequence[PlaceRef], offset: int) -> list[_LocalPlace]:
    return [_LocalPlace(m.place, m.surface, m.start - offset, m.end - offset) for m in mentions]


def _shifted_actors(mentions: Sequence[ActorRef], offset: int) -> list[_LocalActor]:
    return [
        _LocalActor(m.actor, m.side, m.surface, m.start - offset, m.end - offset) for m in mentions
    ]


def _within(starts: list[int], ends: list[int], s: Sentence) -> slice:
    """Where the mentions inside sentence `s` stand in their list (sorted by start)."""
    first = bisect_left(starts, s.start)
    last = bisect_left(starts, s.end, first)
    while last > first and ends[last - 1] > s.end:
        last -= 1
    return slice(first, last)


def article_text(article: Article) -> str:
    """Title and body as one text; a body that already opens with the title is used alone."""
    title, body = article.title.strip(), article.body
    if not title or body.lstrip().startswith(title):
        return body
    return f"{title}\n\n{body}"


DATELINE_CHARS = 400


def dateline(text: str) -> date | None:
    """A complete date (day, month and year) near the top of a text, taken as its date."""
    head = text[:DATELINE_CHARS]
    if _YEAR.search(head) is None:  # a complete date has a year: most texts stop here
        return None
    return first_date(head)


class _LazyDates:
    """A sentence's date references, parsed on first use and only when a word could start one
    (most sentences never need them; many that do have no date and take the article's)."""

    def __init__(self, text: str, words: set[str], published: date | None) -> None:
        self._text, self._published = text, published
        self._refs: list[DateRef] | None = None
        if _DATE_HINTS.isdisjoint(words) and _DIGIT.search(text) is None:
            self._refs = []

    def get(self) -> list[DateRef]:
        if self._refs is None:
            self._refs = find_dates(self._text, self._published)
        return self._refs


# Figures of people where they are: displaced, refugees, returnees, people in need
_POPULATION_CATEGORIES = frozenset(("displaced", "refugees", "returnees", "in_need"))


class _Run:
    """The state of one extraction: mentions, context carried across sentences, results.

    Mentions and results are kept as plain tuples and dicts while the sentences are read and
    validated into the models once, list by list, in `result` (one validator call per list
    instead of one model per mention, figure and event). `stamp` (url, source) goes into every
    figure and event."""

    def __init__(
        self,
        published: date | None,
        places: list[PlaceRef],
        actors: list[ActorRef],
        tokens: Tokens,
        stamp: dict[str, str] | None = None,
        roads: frozenset[str] = frozenset(),
    ) -> None:
        self.published = published
        self.tokens = tokens
        self.roads = roads
        self.places = sorted(places, key=lambda m: m.start)
        self.actors = sorted(actors, key=lambda m: m.start)
        self.place_starts = [m.start for m in self.places]
        self.place_ends = [m.end for m in self.places]
        self.actor_starts = [m.start for m in self.actors]
        self.actor_ends = [m.end for m in self.actors]
        self.context = EventContext()
        self.stamp = stamp
        self.figures: list[dict[str, Any]] = []
        self.events: list[dict[str, Any]] = []
        self.quotes: list[dict[str, Any]] = []
        self._figure_keys: set[tuple[object, ...]] = set()
        self._event_keys: set[tuple[object, ...]] = set()
        self._quote_keys: set[tuple[str, str]] = set()

    def sentence(self, s: Sentence) -> None:
        """Read one sentence; only the extractors whose prefilter it passes run on it."""
        words = self._words(s)
        places = self.places[_within(self.place_starts, self.place_ends, s)]
        actors = self.actors[_within(self.actor_starts, self.actor_ends, s)]
        wants_figures = might_have_figures(words) and (
            _DIGIT.search(s.text) is not None or not _SPOKEN_NUMBERS.isdisjoint(words)
        )
        wants_events = might_have_events(words) and self._may_have_events(places, actors)
        wants_quotes = bool(actors) and might_have_quotes(words)
        if wants_figures or wants_events or wants_quotes:
            local_places = _shifted_places(places, s.start)
            local_actors = _shifted_actors(actors, s.start)
            dates = _LazyDates(s.text, words, self.published)
            if wants_figures:
                self._figures(s, words, local_places, local_actors, dates)
            if wants_events:
                self._events(s, local_places, local_actors, dates)
            if wants_quotes:
                self._quote(s, local_actors, dates)
        self._remember(s, places, actors)

    def _words(self, s: Sentence) -> set[str]:
        """The sentence's words, casefolded, from the one token pass of the whole text that
        the place and actor matchers made (no second regex pass per sentence)."""
        starts = self.tokens.starts
        return set(self.tokens.light[bisect_left(starts, s.start) : bisect_left(starts, s.end)])

    def _may_have_events(self, places: list[PlaceRef], actors: list[ActorRef]) -> bool:
        # No actor needed: "The factions retook Saraqeb" names its holder by a common noun.
        return bool(places) or self.context.last_place is not None

    def _figures(
        self, s: Sentence, words: set[str], places: Sequence[PlaceRef],
        actors: Sequence[ActorRef], dates: _LazyDates,
    ) -> None:  # fmt: skip
        # Explicit dates ('25 February') hold digits that must not count: parse them first.
        explicit = _DIGIT.search(s.text) is not None and not _MONTH_WORDS.isdisjoint(words)
        drafts = find_figures(s.text, places, actors, dates.get() if explicit else ())
        for d in drafts:
            self._add_figure(s, d, _figure_date(s.text, dates.get(), d, self.published))

    def _add_figure(self, s: Sentence, d: FigureDraft, when: date | None) -> None:
        if d.category in _POPULATION_CATEGORIES and d.place in self.roads:
            # '900,000 displaced since December are watching the M4': no one lives on a road
            d.place = None
        key = (d.category, d.value, d.low, d.high, d.qualifier, d.group, d.place, when)
        if key in self._figure_keys:
            return
        self._figure_keys.add(key)
        figure = {
            "category": d.category,
            "value": d.value,
            "low": d.low,
            "high": d.high,
            "qualifier": d.qualifier,
            "group": d.group,
            "place": d.place,
            "actor": d.actor,
            "date": when,
            "sentence": s.text,
        }
        if self.stamp is not None:
            figure.update(self.stamp)
        self.figures.append(figure)

    def _events(
        self, s: Sentence, places: Sequence[PlaceRef], actors: Sequence[ActorRef],
        dates: _LazyDates,
    ) -> None:  # fmt: skip
        for d in find_events(s.text, places, actors, dates.get, self.published, self.context):
            key = (d.place, d.side, d.date)
            if key in self._event_keys:
                continue
            self._event_keys.add(key)
            event = {
                "place": d.place,
                "actor": d.actor,
                "side": d.side,
                "verb": d.verb,
                "date": d.date,
                "date_precision": date_precision(d.date, dates.get()),
                "sentence": s.text,
            }
            if self.stamp is not None:
                event.update(self.stamp)
            self.events.append(event)

    def _quote(self, s: Sentence, actors: Sequence[ActorRef], dates: _LazyDates) -> None:
        draft = find_quote(s.text, actors)
        if draft is None or (draft.actor, draft.text) in self._quote_keys:
            return
        self._quote_keys.add((draft.actor, draft.text))
        when = date_near(dates.get(), 0, self.published)
        quote = {"actor": draft.actor, "speaker": draft.speaker, "text": draft.text, "date": when}
        if self.stamp is not None:
            quote["url"] = self.stamp["url"]
        self.quotes.append(quote)

    def result(self) -> Extraction:
        """The models, validated list by list (see the class docstring)."""
        result = Extraction.model_validate(
            {"places": self.places, "actors": self.actors}, from_attributes=True
        )
        figures, events, quotes = _validators()
        result.figures.extend(_validated(figures, self.figures))
        result.events.extend(_validated(events, self.events))
        result.quotes.extend(_validated(quotes, self.quotes))
        return result

    def _remember(self, s: Sentence, places: list[PlaceRef], actors: list[ActorRef]) -> None:
        settlements = [p for p in places if not p.place.endswith(" Governorate")] if places else []
        fighters = [a for a in actors if a.side not in NON_COMBATANT_SIDES] if actors else []
        # What 'it', 'they' and an agentless passive in the next sentence stand for.
        self.context.observe(s.text, s.start, settlements, fighters)


# 'killed since the start of the operation on December 19', 'displaced since the offensive
# began on 1 December': the date opens the period a running total counts over; the total is
# as of the article, not of that day (a date right after 'since' is caught by `find_dates`).
_SINCE_PHRASE = re.compile(r"\bsince\b[^,;:.!?()]{1,70}$", re.IGNORECASE)
_PHRASE_END = re.compile(r"[,;:.!?()]")


# 'a million Syrians have been displaced when the offensive began in April 2019': a present
# perfect counts up to now, so a month or a year long past opens the count, it does not date it
_PERFECT_AFTER = re.compile(
    r"[^,;.]{0,40}?\b(?:have|has)\s+(?:(?:now|already|also|reportedly)\s+)?(?:been\s+)?"
    r"[a-z]+(?:ed|en|ne)\b",
    re.IGNORECASE,
)
_LONG_PAST = timedelta(days=31)
_OFFSET_BEFORE = re.compile(rf"\b{OFFSET_COUNT}\s+(?:[\w'-]+\s+){{0,5}}$", re.IGNORECASE)


def _figure_date(
    text: str, refs: list[DateRef], draft: FigureDraft, published: date | None
) -> date | None:
    """The date nearest the figure, else the article's; a running total ('since ...', or a
    present perfect counted from a month or year long past) is as of the article."""
    usable = [r for r in refs if r.date is not None and not r.period]
    usable = [r for r in usable if not _opens_a_tally(text, r, draft.start)]
    offset = _OFFSET_BEFORE.search(text, max(0, draft.start - 60), draft.start)
    if offset is not None and not any(offset.end() <= r.start < draft.end for r in usable):
        return _counted_back(offset, usable, published)
    if not usable:
        return published
    ref = min(usable, key=lambda r: min(abs(r.start - draft.start), abs(r.end - draft.start)))
    if published is not None and _counts_up_to_now(text, ref, draft, published):
        return published
    return ref.date


def _counted_back(
    offset: re.Match[str], refs: list[DateRef], published: date | None
) -> date | None:
    """'The ceasefire comes a week after 34 soldiers were killed': the offset counted back
    from the sentence's date (the article's, when it gives none)."""
    base = date_near(refs, 0, published)
    return base - timedelta(days=offset_days(offset)) if base else None


def _counts_up_to_now(text: str, ref: DateRef, draft: FigureDraft, published: date) -> bool:
    """A present perfect figure next to a month or a year long past: a total since then. And
    a figure of this month ('killed this month', 'the toll this month'): a running total as
    of the article, not of the month's first day."""
    if ref.date is None:
        return False
    if text[ref.start : ref.end].casefold() == "this month":
        return True
    vague = ref.month_only or text[ref.start : ref.end].isdigit()
    return (
        vague
        and ref.date < published - _LONG_PAST
        and _PERFECT_AFTER.match(text, draft.end) is not None
    )


def _opens_a_tally(text: str, ref: DateRef, figure_at: int) -> bool:
    """`ref` sits in a 'since ...' phrase and the figure is outside it. A figure inside it is
    that phrase's own ('the worst attack since sarin killed hundreds in Ghouta in August
    2013': the hundreds were killed then)."""
    since = _SINCE_PHRASE.search(text, max(0, ref.start - 80), ref.start)
    if since is None:
        return False
    stop = _PHRASE_END.search(text, ref.end)
    end = stop.start() if stop else len(text)
    return not since.start() <= figure_at < end


class Extractor:
    """Builds the matchers once; `extract` is then pure, deterministic and safe on any text."""

    def __init__(
        self,
        profile: Profile | None = None,
        *,
        matchers: tuple[PlaceFinder, ActorFinder] | None = None,
    ) -> None:
        from core.profile import load_profile, local_zone

        if matchers is None:
            from core.extract.matching import get_matchers

            profile = profile if profile is not None else load_profile()
            matchers = get_matchers(profile)
        self._places, self._actors = matchers
        self._roads = frozenset(
            p.name for p in (profile.places if profile is not None else ()) if p.kind == "road"
        )
        zone = profile.timezone if profile is not None else None
        self._zone = local_zone(zone) if zone else None

    def extract(self, article: Article) -> Extraction:
        """Everything in `article`, each figure and event stamped with its url and source.

        Relative dates count from the day the article appeared where the region's profile
        says it is (`timezone`), else in UTC."""
        published = self._local_day(article.published) if article.published else None
        stamp = {"url": article.url, "source": article.source}
        return self._extract(article_text(article), published, stamp)

    def _local_day(self, moment: datetime) -> date:
        return moment.astimezone(self._zone).date() if self._zone else moment.date()

    def extract_text(self, text: str, published: date | None = None) -> Extraction:
        """Everything in `text`; relative dates resolve against `published`, or against the
        dateline ('25 February, 2020' near the top) when no published date is given."""
        return self._extract(text, published, None)

    def _extract(
        self, text: str, published: date | None, stamp: dict[str, str] | None
    ) -> Extraction:
        published = published or dateline(text)
        tokens = tokenize(text)  # cached: the matchers below reuse this pass
        places, actors = self._find(self._places, text), self._find(self._actors, text)
        run = _Run(published, places, actors, tokens, stamp, self._roads)
        for sentence in split_sentences(text):
            try:
                run.sentence(sentence)
            except Exception:  # one bad sentence must never cost the article
                log.exception("extraction failed on a sentence; skipped")
        return run.result()

    @staticmethod
    def _find(finder: PlaceFinder | ActorFinder, text: str) -> list:  # type: ignore[type-arg]
        """The finder's mentions: plain tuples where it offers them (`find_hits`)."""
        try:
            hits = getattr(finder, "find_hits", None)
            return list(hits(text) if hits is not None else finder.find(text))
        except Exception:
            log.exception("matcher failed; no mentions for this text")
            return []
