"""Quotations and reported speech attributed to an actor, for actor summaries.

A sentence qualifies when it has an attribution ("said", "says", "told", "added", "warned",
"according to") and an actor mentioned outside the quoted words. The text is the quoted words
when there are quotation marks, else the reported clause after "said (that)". The speaker is
the person named next to the verb ("Yusef Hamoud, spokesman for ..., told Reuters"), else
the actor's own words in the text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from core.extract import ActorRef, initial_grouped, lowered_for_matching, word_set

MAX_QUOTE_CHARS = 600

_ATTRIBUTION_WORDS = r"said|says|told|added|warned|stated|announced|insisted|claimed|according\s+to"
_ATTRIBUTION_PATTERN = rf"\b(?:{_ATTRIBUTION_WORDS})\b"
_ATTRIBUTION = re.compile(_ATTRIBUTION_PATTERN, re.IGNORECASE)
_QUOTED = re.compile(r"\"([^\"]{3,600})\"|“([^”]{3,600})”")
_SAID_THAT = r"(?:\s+on\s+\w+)?(?:\s+that)?"
_TOLD_THAT = r"told\s+[\w ]{1,40}?\s+that"
# the reported clause runs to the next quotation, but takes in a short quoted word or two
# ('troops had been "neutralised"')
_CLAUSE = r"\s+(?P<clause>(?:[^\"“]|\"[^\"]{1,40}\"|“[^”]{1,40}”){12,600})"
_REPORTED_PATTERN = (
    rf"\b(?:(?:said|says|warned|announced|stated){_SAID_THAT}|{_TOLD_THAT}){_CLAUSE}"
)
_REPORTED = re.compile(_REPORTED_PATTERN, re.IGNORECASE)
# The same patterns, case-sensitive, for the lower-cased sentence (see lowered_for_matching),
# grouped by first letter: same matches, faster scans (see initial_grouped).
_ATTRIBUTION_LOWER = re.compile(initial_grouped(_ATTRIBUTION_WORDS.split("|")))
_REPORTED_LOWER = re.compile(
    "(?:"
    + initial_grouped(
        [f"{verb}{_SAID_THAT}" for verb in ("said", "says", "warned", "announced", "stated")]
        + [_TOLD_THAT],
        after="",
    )
    + f"){_CLAUSE}"
)
MIN_QUOTED_WORDS = 4
_PERSON = re.compile(
    r"(?P<name>[A-Z][a-z'’-]+(?:\s+(?:al-|bin\s+|de\s+|van\s+)?[A-Z][a-z'’-]+){1,3})"
    r"(?:,[^,\"“”]{3,90},)?\s+(?:said|says|told|added|warned|stated)\b"
    r"|\b(?:said|says)\s+(?P<after>[A-Z][a-z'’-]+(?:\s+[A-Z][a-z'’-]+){1,3})"
)
_NOT_PEOPLE = frozenset(("The", "A", "An", "On", "In", "But", "And", "It", "He", "She", "They"))


@dataclass(frozen=True, slots=True)
class QuoteDraft:
    actor: str
    speaker: str
    text: str


ATTRIBUTION_WORDS = word_set(
    "said says told added warned stated announced insisted claimed according"
)


def might_have_quotes(words: frozenset[str] | set[str]) -> bool:
    """Cheap prefilter on a sentence's lowercased words: an attribution verb occurs."""
    return not ATTRIBUTION_WORDS.isdisjoint(words)


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    """Quoted passages long enough to be a statement ('"dozens"' is emphasis, not a quote)."""
    if '"' not in text and "“" not in text:
        return []  # most sentences: no scan
    return [
        (m.start(), m.end())
        for m in _QUOTED.finditer(text)
        if len(m.group(0).split()) >= MIN_QUOTED_WORDS
    ]


def _outside(actor: ActorRef, spans: list[tuple[int, int]]) -> bool:
    return not any(start <= actor.start < end for start, end in spans)


def _speaker(text: str, fallback: str, actors: Sequence[ActorRef]) -> str:
    """The person named next to the verb, else `fallback`."""
    for match in _PERSON.finditer(text):
        group = "name" if match.group("name") else "after"
        name = _outside_actor_names(text, match.start(group), match.end(group), actors)
        if name and name.split()[0] not in _NOT_PEOPLE:
            return name
    return fallback


def _outside_actor_names(text: str, start: int, end: int, actors: Sequence[ActorRef]) -> str:
    """The capitalised words at start:end less any part of a longer actor name: "Human
    Rights" in "the Syrian Observatory for Human Rights said" is no person (""), and
    "Observatory for Human Rights Rami Abdel Rahman said" names "Rami Abdel Rahman". An
    actor named inside the words stays ("President Donald Trump", a known spokesman)."""
    for actor in actors:
        if actor.start <= start and end <= actor.end and actor.end - actor.start > end - start:
            return ""
        if actor.start <= start < actor.end < end:
            start = actor.end
    name = text[start:end].strip()
    return name if len(name.split()) >= 2 else ""


def _search(
    caseless: re.Pattern[str], lower: re.Pattern[str], text: str, lowered: str | None
) -> re.Match[str] | None:
    """`caseless` on `text`, or the same match by `lower` on the lower-cased text."""
    return caseless.search(text) if lowered is None else lower.search(lowered)


def _said_text(text: str, lowered: str | None, spans: list[tuple[int, int]]) -> str:
    if spans:
        # the comma that hands over to 'he said' is not the speaker's
        parts = [text[start + 1 : end - 1].strip().rstrip(",") for start, end in spans]
        return " … ".join(parts)[:MAX_QUOTE_CHARS]
    reported = _search(_REPORTED, _REPORTED_LOWER, text, lowered)
    if reported is None:
        return ""
    clause = text[reported.start("clause") : reported.end("clause")]
    return clause.strip().rstrip(".,;: ")[:MAX_QUOTE_CHARS]


def find_quote(text: str, actors: Sequence[ActorRef]) -> QuoteDraft | None:
    """The quote or reported statement in one sentence, with its actor; None if unattributed."""
    lowered = lowered_for_matching(text)
    attribution = _search(_ATTRIBUTION, _ATTRIBUTION_LOWER, text, lowered)
    if attribution is None:
        return None
    spans = _quoted_spans(text)
    said = _said_text(text, lowered, spans)  # first: most attributed sentences quote nothing
    if not said:
        return None
    speakers = [a for a in actors if _outside(a, spans)]
    if not speakers:
        return None
    verb_at = attribution.start()
    actor = min(speakers, key=lambda a: min(abs(a.start - verb_at), abs(a.end - verb_at)))
    return QuoteDraft(actor.actor, _speaker(text, actor.surface, actors), said)
