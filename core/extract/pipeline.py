"""The one entry point of extraction: `Extractor.extract(article) -> Extraction`.

Places and actors are matched once over the whole text (title and body); figures, control
changes and quotes are read sentence by sentence, each sentence only by the extractors whose
cheap prefilter it passes (a number and a cue word for figures, a control verb for events, an
attribution verb for quotes). A failure inside one sentence skips that sentence, never the
article, so `extract` never raises on any text. Every regex is linear and sentences are capped
at 2,000 characters, so it never hangs either.
"""

from __future__ import annotations

import logging
import re
from bisect import bisect_left
from collections.abc import Sequence
from datetime import date
from typing import Protocol

from core.extract.dates import DateRef, date_near, find_dates
from core.extract.events import NON_COMBATANT_SIDES, EventContext, find_events, might_have_events
from core.extract.figures import FigureDraft, find_figures, might_have_figures
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

_HAS_NUMBER = re.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen"
    r"|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy"
    r"|eighty|ninety|hundred|thousand|million|billion|dozens?|scores|hundreds|thousands"
    r"|millions)\b",
    re.IGNORECASE,
)


class PlaceFinder(Protocol):
    def find(self, text: str) -> list[PlaceMention]: ...


class ActorFinder(Protocol):
    def find(self, text: str) -> list[ActorMention]: ...


def _shifted_places(mentions: Sequence[PlaceMention], offset: int) -> list[PlaceMention]:
    return [
        PlaceMention.model_construct(
            place=m.place, surface=m.surface, start=m.start - offset, end=m.end - offset
        )
        for m in mentions
    ]


def _shifted_actors(mentions: Sequence[ActorMention], offset: int) -> list[ActorMention]:
    return [
        ActorMention.model_construct(
            actor=m.actor,
            side=m.side,
            surface=m.surface,
            start=m.start - offset,
            end=m.end - offset,
        )  # fmt: skip
        for m in mentions
    ]


def _within(
    mentions: Sequence[PlaceMention] | Sequence[ActorMention], starts: list[int], s: Sentence
) -> list[int]:
    """Indices of the mentions that lie inside sentence `s` (mentions sorted by start)."""
    first = bisect_left(starts, s.start)
    last = bisect_left(starts, s.end)
    return [i for i in range(first, last) if mentions[i].end <= s.end]


def article_text(article: Article) -> str:
    """Title and body as one text; a body that already opens with the title is used alone."""
    title, body = article.title.strip(), article.body
    if not title or body.lstrip().startswith(title):
        return body
    return f"{title}\n\n{body}"


class _Run:
    """The state of one extraction: mentions, context carried across sentences, results."""

    def __init__(
        self, text: str, published: date | None, places: list[PlaceMention],
        actors: list[ActorMention],
    ) -> None:  # fmt: skip
        self.text = text
        self.published = published
        self.places = sorted(places, key=lambda m: m.start)
        self.actors = sorted(actors, key=lambda m: m.start)
        self.place_starts = [m.start for m in self.places]
        self.actor_starts = [m.start for m in self.actors]
        self.context = EventContext()
        self.result = Extraction(places=self.places, actors=self.actors)
        self._figure_keys: set[tuple[object, ...]] = set()
        self._event_keys: set[tuple[object, ...]] = set()
        self._quote_keys: set[tuple[str, str]] = set()

    def sentence(self, s: Sentence) -> None:
        place_ids = _within(self.places, self.place_starts, s)
        actor_ids = _within(self.actors, self.actor_starts, s)
        places = _shifted_places([self.places[i] for i in place_ids], s.start)
        actors = _shifted_actors([self.actors[i] for i in actor_ids], s.start)
        refs: list[DateRef] | None = None
        if _HAS_NUMBER.search(s.text) and might_have_figures(s.text):
            refs = find_dates(s.text, self.published)
            self._figures(s, find_figures(s.text, places, actors, refs), refs)
        if self._may_have_events(s, places, actors):
            refs = refs if refs is not None else find_dates(s.text, self.published)
            self._events(s, places, actors, refs)
        if actors and might_have_quotes(s.text):
            refs = refs if refs is not None else find_dates(s.text, self.published)
            self._quote(s, actors, refs)
        self._remember(places, actors)

    def _may_have_events(
        self, s: Sentence, places: list[PlaceMention], actors: list[ActorMention]
    ) -> bool:
        has_place = bool(places) or self.context.last_place is not None
        has_actor = bool(actors) or self.context.last_actor is not None
        return has_place and has_actor and might_have_events(s.text)

    def _figures(self, s: Sentence, drafts: list[FigureDraft], refs: list[DateRef]) -> None:
        for d in drafts:
            when = date_near(refs, d.start, self.published)
            key = (d.category, d.value, d.low, d.high, d.qualifier, d.group, d.place, when)
            if key in self._figure_keys:
                continue
            self._figure_keys.add(key)
            self.result.figures.append(
                Figure(
                    category=d.category,
                    value=d.value,
                    low=d.low,
                    high=d.high,
                    qualifier=d.qualifier,
                    group=d.group,
                    place=d.place,
                    actor=d.actor,  # type: ignore[arg-type]
                    date=when,
                    sentence=s.text,
                )  # fmt: skip
            )

    def _events(
        self, s: Sentence, places: list[PlaceMention], actors: list[ActorMention],
        refs: list[DateRef],
    ) -> None:  # fmt: skip
        for d in find_events(s.text, places, actors, refs, self.published, self.context):
            key = (d.place, d.side, d.date)
            if key in self._event_keys:
                continue
            self._event_keys.add(key)
            self.result.events.append(
                ControlEvent(
                    place=d.place,
                    actor=d.actor,
                    side=d.side,
                    verb=d.verb,
                    date=d.date,
                    sentence=s.text,
                )  # fmt: skip
            )

    def _quote(self, s: Sentence, actors: list[ActorMention], refs: list[DateRef]) -> None:
        draft = find_quote(s.text, actors)
        if draft is None or (draft.actor, draft.text) in self._quote_keys:
            return
        self._quote_keys.add((draft.actor, draft.text))
        when = date_near(refs, 0, self.published)
        self.result.quotes.append(
            Quote(actor=draft.actor, speaker=draft.speaker, text=draft.text, date=when)
        )

    def _remember(self, places: list[PlaceMention], actors: list[ActorMention]) -> None:
        if places:
            self.context.last_place = places[-1].place
        fighters = [a for a in actors if a.side not in NON_COMBATANT_SIDES]
        if fighters:
            self.context.last_actor = fighters[-1]


class Extractor:
    """Builds the matchers once; `extract` is then pure, deterministic and safe on any text."""

    def __init__(
        self,
        profile: Profile | None = None,
        *,
        matchers: tuple[PlaceFinder, ActorFinder] | None = None,
    ) -> None:
        if matchers is None:
            from core.extract.matching import get_matchers
            from core.profile import load_profile

            matchers = get_matchers(profile if profile is not None else load_profile())
        self._places, self._actors = matchers

    def extract(self, article: Article) -> Extraction:
        """Everything in `article`, each figure and event stamped with its url and source."""
        published = article.published.date() if article.published else None
        result = self.extract_text(article_text(article), published)
        for item in (*result.figures, *result.events):
            item.url, item.source = article.url, article.source
        for quote in result.quotes:
            quote.url = article.url
        return result

    def extract_text(self, text: str, published: date | None = None) -> Extraction:
        """Everything in `text`; relative dates resolve against `published`."""
        run = _Run(text, published, self._find(self._places, text), self._find(self._actors, text))
        for sentence in split_sentences(text):
            try:
                run.sentence(sentence)
            except Exception:  # one bad sentence must never cost the article
                log.exception("extraction failed on a sentence; skipped")
        return run.result

    @staticmethod
    def _find(finder: PlaceFinder | ActorFinder, text: str) -> list:  # type: ignore[type-arg]
        try:
            return list(finder.find(text))
        except Exception:
            log.exception("matcher failed; no mentions for this text")
            return []
