"""Actors in text: names, acronyms, leaders, descriptions, capitals, countries, adjectives.

* aliases, leaders and descriptions always count ("HTS", "Erdogan", "regime forces");
  an all-capitals alias ("UN", "WHO", "IS") only when written in capitals;
* a country counts unless it is a destination, origin or border ("fled to Turkey");
* a capital only where it acts (see `matching.capital_acts`): "Damascus relaunched its
  offensive", "Moscow's air power", "ally of Damascus"; not "talks in Moscow", not a
  dateline, and not a modifier: "the Moscow deal" names an agreement, not Russia acting;
* an adjective only before a military or state noun, possibly through a list: "Russian and
  Syrian warplanes" is Russia and the Syrian government; "Syrian refugees" is nobody;
* a name joined to "-backed" names the proxy, not itself: "Turkey-backed rebels" is the
  Syrian National Army (a description of its own), not Turkey; a name joined to "-led",
  "-linked" or "-affiliated" is the actor itself, with the group it leads: "Nusra-led rebels"
  are Hayat Tahrir al-Sham, not the generic opposition;
* the longest reference wins, and the profile's `not_actors` ("Turkish border") hide what
  they contain; a military noun after a country extends it ("US army" is not "the army").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from core.extract import ActorHit
from core.extract.matching import (
    ARTICLE_KEY,
    Automaton,
    Tokens,
    capital_acts,
    country_acts,
    english_words,
    followed_by_leader_word,
    followed_by_proxy_word,
    longest_first,
    name_keys,
    tokenize,
    word_set,
)
from core.models import ActorMention
from core.profile import ActorSpec, Profile

Kind = Literal["alias", "leader", "description", "country", "capital", "adjective", "block"]
NOT_AN_ACTOR = -1
# Words after an adjective that make it stand for a state or its forces.
MILITARY_NOUNS = word_set(
    """
    forces force troops troop soldiers soldier army armies military jets jet warplanes
    warplane planes plane aircraft helicopters helicopter drones drone airstrikes airstrike
    strikes strike raids raid bombing bombings bombardment bombardments shelling shells
    missiles missile rockets rocket artillery fire tanks tank armour armor convoy convoys
    reinforcements patrols patrol police officers officer commanders commander advisers
    advisors adviser advisor personnel units unit posts post base bases government regime
    officials official authorities ministry minister president leader leadership delegation
    envoy ambassador diplomats diplomat intelligence navy operation operations offensive
    campaign attack attacks assault bombers sorties militias militia mercenaries counterpart
    chancellor premier spokesman spokeswoman spokesperson administration side air defence
    defense foreign prime observation security special armed naval interior
    """
)
# First words of two-word nouns: "air strikes", "defence ministry", "military police".
NOUN_MODIFIERS = word_set(
    """
    air defence defense foreign prime observation security special armed naval interior
    military
    """
)
# Nouns after "<X>-led"/"<X>-linked" that are X's own people, not a separate actor.
LED_GROUP_NOUNS = word_set(
    """
    rebels rebel insurgents insurgent fighters fighter militants militant jihadists jihadist
    groups group factions faction alliance alliances coalition coalitions forces force
    militias militia cells cell gunmen opposition operations operation offensive
    """
)
# Actors with no forces of their own: a military noun after their name ("Damascus Mar 2 SANA
# Army units ...", a dateline without commas) is someone else's.
UNARMED_KINDS = frozenset({"media", "monitor", "humanitarian"})
_JOINERS = frozenset({"and", "or"})
_DEMONYM_ENDINGS = ("ese", "ian", "ish", "i", "an")


def _shouted(tokens: Tokens, index: int) -> bool:
    """Word `index` is an all-capitals word of three letters or more (a shouted headline)."""
    if not 0 <= index < len(tokens.words):
        return False
    word = tokens.words[index]
    return len(word) >= 3 and word.isalpha() and word.isupper()


@dataclass(slots=True)
class _Ref:
    actor: int
    kind: Kind
    acronym: bool
    capital_word: int | None


@dataclass(slots=True)
class _Pattern:
    refs: list[_Ref] = field(default_factory=list)
    acronyms_only: bool = True  # every ref is an acronym: skip fast unless written in capitals


def _is_acronym(name: str) -> bool:
    letters = [c for c in name if c.isalpha()]
    return bool(letters) and len(letters) <= 6 and all(c.isupper() for c in letters)


class ActorMatcher:
    """Finds actors in text. Built once per profile (see `get_matchers`); `find` is fast."""

    def __init__(self, profile: Profile) -> None:
        self._actors = list(profile.actors)
        self._automaton: Automaton[_Pattern] = Automaton()
        self._lookup: dict[str, int] = {}
        self._adjective_keys: set[str] = set()
        self._adjective_owner: dict[str, int] = {}  # one-word adjective key -> its actor
        self._english = english_words()
        self._unarmed = {i for i, a in enumerate(self._actors) if a.kind in UNARMED_KINDS}
        self._media = {i for i, a in enumerate(self._actors) if a.kind == "media"}
        for index, actor in enumerate(self._actors):
            self._add_actor(index, actor)
        for phrase in profile.not_actors:
            self._add(NOT_AN_ACTOR, phrase, "block")
        self._automaton.build()

    def _add_actor(self, index: int, actor: ActorSpec) -> None:
        groups: list[tuple[list[str], Kind]] = [
            ([*self._name_as_alias(actor), *actor.aliases], "alias"),
            (actor.leaders, "leader"),
            (actor.descriptions, "description"),
            (actor.countries, "country"),
            (actor.capitals, "capital"),
            (actor.adjectives, "adjective"),
        ]
        for names, kind in groups:
            for name in names:
                self._add(index, name, kind)

    @staticmethod
    def _name_as_alias(actor: ActorSpec) -> list[str]:
        """The canonical name always counts, unless it is a country, capital or adjective."""
        conditional = {*actor.countries, *actor.capitals, *actor.adjectives}
        return [] if actor.name in conditional else [actor.name]

    def _add(self, index: int, name: str, kind: Kind) -> None:
        light, _, capitals = name_keys(name)
        if not light:
            return
        key = " ".join(light)
        if kind == "adjective":
            self._adjective_keys.add(key)
            self._adjective_owner.setdefault(key, index)
        if index >= 0 and kind in ("alias", "leader", "country"):
            self._lookup.setdefault(key, index)
        capital_word = next((i for i, c in enumerate(capitals) if c), None)
        ref = _Ref(index, kind, _is_acronym(name), capital_word)

        def add(existing: _Pattern | None) -> _Pattern:
            pattern = existing or _Pattern()
            pattern.refs.append(ref)
            pattern.acronyms_only = pattern.acronyms_only and ref.acronym
            return pattern

        self._automaton.add(key, add)

    # ---- public API ----

    def actors(self) -> list[ActorSpec]:
        return list(self._actors)

    def lookup(self, name: str) -> ActorSpec | None:
        """A name, alias, leader or country -> the actor (case-insensitive)."""
        light, _, _ = name_keys(name)
        key = " ".join(light)
        index = self._lookup.get(key)
        if index is None:
            pattern = self._automaton.get(key)
            refs = [r for r in pattern.refs if r.actor >= 0] if pattern else []
            index = refs[0].actor if refs else None
        return self._actors[index] if index is not None else None

    def find(self, text: str) -> list[ActorMention]:
        """Every actor mention in `text`, in order, with offsets into `text`."""
        return [
            ActorMention(actor=h.actor, side=h.side, surface=h.surface, start=h.start, end=h.end)
            for h in self.find_hits(text)
        ]

    def find_hits(self, text: str) -> list[ActorHit]:
        """`find` as plain named tuples, for callers that validate many at once."""
        if not text:
            return []
        tokens = tokenize(text)
        spans: list[tuple[int, int, int]] = []
        # An adjective reading ties with a description of the same words ("Iranian militias"
        # is the Iran-backed militias, not Iran): named references go first and win ties.
        adjective_spans: list[tuple[int, int, int]] = []
        words = tokens.words
        for first, hit_last, pattern in self._automaton.hits(tokens.light_text):
            if pattern.acronyms_only and not words[first].isupper():
                continue  # "is", "us", "who": ordinary words, the cheapest check first
            if hit_last > first and not tokens.one_phrase(first, hit_last):
                continue
            for ref in pattern.refs:
                last = self._accept(tokens, first, hit_last, ref)
                if last is not None:
                    start, end = tokens.span(first, last)
                    target = adjective_spans if ref.kind == "adjective" else spans
                    target.append((start, end, ref.actor))
                    break
        spans.extend(adjective_spans)
        actors = self._actors
        return [
            ActorHit(actors[i].name, actors[i].side, text[s:e], s, e)
            for s, e, i in longest_first(spans)
            if i >= 0
        ]

    # ---- rules ----

    def _accept(self, tokens: Tokens, first: int, last: int, ref: _Ref) -> int | None:
        """The last word the mention covers, or None when this reference does not count."""
        if not self._written_right(tokens, first, last, ref):
            return None
        if ref.kind in ("alias", "country") and followed_by_leader_word(tokens, last):
            return _led_group_end(tokens, last + 1)
        if ref.kind != "description" and followed_by_proxy_word(tokens, last):
            return None
        if ref.kind == "description" and first == last and self._foreign_before(tokens, first):
            return None
        if (
            ref.kind == "description"
            and ref.actor in self._media
            and self._other_nation_before(tokens, first, ref.actor)
        ):
            return None
        if ref.kind == "capital" and not capital_acts(tokens, first, last):
            return None
        if ref.kind == "country" and not country_acts(tokens, first, last):
            return None
        if ref.kind == "adjective":
            return self._adjective_end(tokens, last)
        if ref.kind in ("alias", "country", "capital") and ref.actor not in self._unarmed:
            return _noun_end(tokens, last + 1) or last
        return last

    def _foreign_before(self, tokens: Tokens, index: int) -> bool:
        """`Lebanese army`, `Houthi rebels`: a one-word description owned by a nationality
        the profile does not know is someone else's."""
        if index == 0 or tokens.seps[index] != " ":
            return False
        word = tokens.words[index - 1]
        key = tokens.light[index - 1]
        return (
            word[:1].isupper()
            and word.isalpha()
            and key.endswith(_DEMONYM_ENDINGS)
            and key not in self._adjective_keys
        )

    def _other_nation_before(self, tokens: Tokens, index: int, actor: int) -> bool:
        """'Turkish state media', 'Russian state television': a media description ('state
        media' is SANA) after another actor's adjective is that actor's media."""
        if index == 0 or tokens.seps[index] != " ":
            return False
        owner = self._adjective_owner.get(tokens.light[index - 1])
        return owner is not None and owner != actor

    def _written_right(self, tokens: Tokens, first: int, last: int, ref: _Ref) -> bool:
        """Acronyms in capitals (not inside a shouted headline); proper names capitalised
        where the profile writes them so, except in text written all in lower case, where an
        adjective (still needing its military noun: "russian jets") and a multi-word name
        with a word that is not ordinary English ("hayat tahrir al-sham") still count."""
        if ref.acronym:
            words = tokens.words[first : last + 1]
            if not all(not w.islower() and w.upper() == w for w in words):
                return False
            return not (_shouted(tokens, first - 1) and _shouted(tokens, last + 1))
        if ref.capital_word is None or tokens.is_capitalised(first + ref.capital_word):
            return True
        if ref.kind == "adjective":
            return True
        keys = [k for k in tokens.light[first : last + 1] if k != ARTICLE_KEY]
        return len(keys) > 1 and not all(k in self._english for k in keys)

    def _adjective_end(self, tokens: Tokens, last: int) -> int | None:
        """`Russian jets` -> the noun's last word; `Russian and Syrian jets` -> `Russian`."""
        direct = _noun_end(tokens, last + 1)
        if direct is not None:
            return direct
        index = last + 1
        for _ in range(4):
            key = tokens.light_of(index)
            if key in _JOINERS or key in self._adjective_keys or tokens.hyphen_before(index):
                if key not in _JOINERS and key not in self._adjective_keys:
                    return None
                index += 1
                continue
            break
        return last if index > last + 1 and _noun_end(tokens, index) is not None else None


def _led_group_end(tokens: Tokens, led: int) -> int:
    """`Nusra-led rebels`, `IS-linked cells`: the leader's mention takes in the group it leads
    (so "rebels" is not also read as the generic opposition); else it ends at `-led`."""
    nxt = led + 1
    if tokens.seps[nxt : nxt + 1] == [" "] and tokens.light_of(nxt) in LED_GROUP_NOUNS:
        return nxt
    return led


def _noun_end(tokens: Tokens, index: int) -> int | None:
    """If a military/state noun starts at word `index`, the index of its last word.

    Only in the same phrase: "blamed on Damascus. Government forces ..." is no
    "Damascus Government"."""
    if tokens.hyphen_before(index) or not tokens.one_phrase(index - 1, index):
        return None
    key = tokens.light_of(index)
    if key not in MILITARY_NOUNS:
        return None
    if key in NOUN_MODIFIERS and tokens.one_phrase(index, index + 1):
        following = tokens.light_of(index + 1)
        if following in MILITARY_NOUNS or following in ("ministry", "minister", "police"):
            return index + 1
    return index
