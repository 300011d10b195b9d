"""Places in text: every spelling of every profile and gazetteer place, with offsets.

Rules (beyond the folding in `matching`):
* a place name must be capitalised in the text ("Ariha", not "aria"); a hit that is not one of
  the place's own spellings (only equal after folding) is dropped when all its words are
  ordinary English words ("Sermon" is not Sarmin);
* the longest name wins ("Maarat al-Numan" over "Numan", "Idlib province" over "Idlib");
* a name shared by a city and its governorate ("Idlib") goes by context: "province",
  "countryside", "northern ...", "Syria's ..." mean the governorate, "city" the city, and
  otherwise the place marked `default_for_bare_name` (Idlib: the governorate), else the city;
* a capital that acts ("Damascus relaunched its offensive") is an actor, not a place;
* small typos ("Sarqeb") of profile places are found with rapidfuzz, only for capitalised
  words of six letters or more that are not English words, against names of six or more;
  typos inside multi-word profile names ("Khan Shekhoun") by comparing the whole phrase with
  the names that share one of its words at the same position (capitalised at both ends, no
  punctuation inside); a typo keeps the first letter of each word ("Kafr Amma" is a village of
  its own, not a slip for "Kafr Hamra"), and a word that is a known name is no typo at all;
  a typo differs from the name in vowels or added final letters ("Saraqueb", "Idlibs"), not in
  a dropped syllable ("Mahatta" is not Maar Hattat) nor, in a word under eight letters, in a
  consonant ("Kafar Naya" is not Kafr Naha); only a generic word shared by many names (Kafr,
  Tal, Deir) may differ freely, and a name plus "-i" is a nisba ("al-Qalamoni"), no place;
* a name in lower case ("shelling on aleppo") counts only when spelled exactly as the place
  (no folding), in plain words of four letters or more that are not English words, and only
  for profile places (not villages: "hass avocado"), governorates and towns of 100,000 people
  or more;
* "the provincial capital Idlib" is the city; "the provinces of Idlib and Hama" and
  "Aleppo's western countryside" the governorates; a name never spans punctuation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import compress

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from core.extract import PlaceHit
from core.extract.matching import (
    AMBIGUOUS_NAMES,
    ARTICLE_KEY,
    Automaton,
    Tokens,
    article_variants,
    capital_acts,
    english_words,
    heavy_key,
    light_key,
    longest_first,
    name_keys,
    tokenize,
    word_set,
)
from core.models import PlaceMention
from core.profile import PlaceSpec, Profile

FUZZY_MIN_LETTERS = 6
FUZZY_CUTOFF = 85.0
_GOVERNORATE_AFTER = word_set(
    """
    province provinces governorate governorates countryside countrysides region
    """
)
_GOVERNORATE_BEFORE = word_set(
    """
    northern southern western northwestern southwestern northeastern southeastern rural syria
    """
)
_PLURAL_GOVERNORATE = frozenset({"provinces", "governorates"})
_CITY_AFTER = frozenset({"city"})
_COMPASS = word_set(
    """
    northern southern western eastern northwestern southwestern northeastern southeastern
    north south west east central
    """
)
# Words of a name that outlets also write in lower case ("rural Damascus", "Idlib province").
_GENERIC_NAME_WORDS = (
    _GOVERNORATE_AFTER
    | _COMPASS
    | word_set(
        "rural city of the greater reef rif muhafazat suburbs plain plains valley camp crossing"
    )
)
# A place name written in lower case ("strikes on aleppo") counts only for places this big
# (or the profile's own places) and only when spelled as the place is (no folding).
LOWERCASE_MIN_POPULATION = 100_000
LOWERCASE_MIN_LETTERS = 4
# Multi-word names with a typo or an unlisted transliteration inside ("Khan Shekhoun").
FUZZY_PHRASE_CUTOFF = 86.0
FUZZY_PHRASE_MIN_CHARS = 9
# A word of a name this long may differ from the text in one consonant (a slip of the keys);
# a shorter one only in its vowels (transliteration), else it is another village's name.
TYPO_CONSONANT_SLIP_MIN_LETTERS = 8
# A word found in this many places' multi-word names (Kafr, Tal, Khan, Deir) is generic: a
# slip in it still leaves the distinctive word to identify the place.
GENERIC_WORD_MIN_PLACES = 4
_JOINING_SEPS = frozenset({" ", "-", "‐", "‑", " - ", "'", "’"})


@dataclass(slots=True)
class _Pattern:
    """What one folded key can mean: candidate places (best first) and capitalisation."""

    places: list[int] = field(default_factory=list)
    capital_word: int | None = None  # which word must be capitalised in the text
    blocker: bool = False  # an actor's name ("Hayat Tahrir al-Sham"): hides places inside it
    capital: bool = False  # the name of a capital that may stand for its government


def _merge(base: PlaceSpec, extra: PlaceSpec) -> PlaceSpec:
    """A profile place extended by its gazetteer twin (coordinates, population, spellings)."""
    aliases = list(dict.fromkeys([*base.aliases, extra.name, *extra.aliases]))
    return base.model_copy(
        update={
            "aliases": [a for a in aliases if a != base.name],
            "lat": base.lat if base.lat is not None else extra.lat,
            "lon": base.lon if base.lon is not None else extra.lon,
            "admin1": base.admin1 or extra.admin1,
            "population": base.population or extra.population,
            "geonameid": base.geonameid or extra.geonameid,
        }
    )


def merge_places(profile: Profile) -> list[PlaceSpec]:
    """Profile places (extended by the gazetteer) then the remaining gazetteer places."""
    gazetteer = profile.gazetteer_places()
    by_id = {p.geonameid: p for p in gazetteer if p.geonameid is not None}
    by_name: dict[tuple[str, str], PlaceSpec] = {
        (" ".join(name_keys(p.name)[0]), p.kind): p for p in gazetteer if p.kind == "governorate"
    }
    used: set[int] = set()
    merged: list[PlaceSpec] = []
    for place in profile.places:
        twin = by_id.get(place.geonameid) if place.geonameid else None
        twin = twin or by_name.get((" ".join(name_keys(place.name)[0]), place.kind))
        if twin is not None:
            used.add(id(twin))
            place = _merge(place, twin)
        merged.append(place)
    merged.extend(p for p in gazetteer if id(p) not in used)
    return _unique_names(merged, len(profile.places))


def _unique_names(places: list[PlaceSpec], profile_count: int) -> list[PlaceSpec]:
    """Two places called alike ("Suran" in Hama and in Aleppo): profile places and then the
    more populous keep the name; the other becomes "Suran (Aleppo)", the name an alias."""
    order = sorted(
        range(len(places)), key=lambda i: (i >= profile_count, -(places[i].population or 0))
    )
    taken: set[str] = set()
    renamed = list(places)
    for index in order:
        place = places[index]
        if place.name in taken:
            update = {
                "name": f"{place.name} ({place.admin1})",
                "aliases": [place.name, *place.aliases],
            }
            place = renamed[index] = place.model_copy(update=update)
        taken.add(place.name)
    return renamed


class PlaceMatcher:
    """Finds places in text. Built once per profile (see `get_matchers`); `find` is fast."""

    def __init__(self, profile: Profile) -> None:
        self._places = merge_places(profile)
        self._profile_count = len(profile.places)
        self._authored = [{p.name, *p.aliases} for p in profile.places]
        self._names: list[set[str]] = [set() for _ in self._places]
        self._automaton: Automaton[_Pattern] = Automaton()
        self._english = english_words()
        self._capital_places = self._capitals(profile)
        for index, place in enumerate(self._places):
            for name in dict.fromkeys([place.name, *place.aliases]):
                self._add_name(index, name)
        self._add_blockers(profile)
        self._sort_candidates()
        self._automaton.build()
        self._fuzzy_keys = self._fuzzy_choices()
        self._fuzzy_by_initial = _by_initial(self._fuzzy_keys)
        self._fuzzy_cache: dict[str, str | None] = {}  # word -> name key it misspells
        self._phrase_index = self._phrase_choices()
        self._generic_words = self._common_name_words()
        self._phrase_cache: dict[tuple[str, str], bool] = {}
        self._exact = {" ".join(name_keys(p.name)[0]): i for i, p in enumerate(self._places)}
        self._names_by_index = [p.name for p in self._places]

    # ---- building ----

    def _capitals(self, profile: Profile) -> set[str]:
        return {" ".join(name_keys(c)[1]) for a in profile.actors for c in a.capitals}

    def _add_blockers(self, profile: Profile) -> None:
        """Multi-word actor names, so "Tahrir al-Sham" is not read as a place "Sham"."""
        for actor in profile.actors:
            for name in [*actor.aliases, *actor.leaders, *actor.descriptions]:
                _, heavy, capitals = name_keys(name)
                key = " ".join(heavy)
                if len(heavy) > 1 and any(capitals) and self._automaton.get(key) is None:
                    self._automaton.add(key, lambda _: _Pattern(blocker=True))

    def _allow_bare(self, heavy: list[str]) -> bool:
        """Whether a name left without its leading article still means the place."""
        joined = "".join(heavy)
        if len(heavy) > 1:
            return True
        return len(joined) >= 4 and joined not in AMBIGUOUS_NAMES and joined not in self._english

    def _too_ambiguous(self, index: int, light: list[str], name: str) -> bool:
        """A lone ambiguous or English word, with or without an article ("al-Sham", "Tall").

        Spellings the profile itself lists are trusted ("ad-Dana", "Harem"), except a bare
        word on the ambiguous list ("Dana")."""
        words = [k for k in light if k != ARTICLE_KEY]
        if len(words) != 1:
            return False
        authored = index < self._profile_count and name in self._authored[index]
        if len(light) == 1 and words[0] in AMBIGUOUS_NAMES:
            return True
        return not authored and (words[0] in AMBIGUOUS_NAMES or words[0] in self._english)

    def _add_name(self, index: int, name: str) -> None:
        light, heavy, capitals = name_keys(name)
        if not light or self._too_ambiguous(index, light, name):
            return
        capital_word = next(
            (
                i
                for i, c in enumerate(capitals)
                if c and light[i] != ARTICLE_KEY and light[i] not in _GENERIC_NAME_WORDS
            ),
            None,
        )
        for kept in article_variants(heavy, self._allow_bare):
            offset = kept.index(capital_word) if capital_word in kept else None
            key = " ".join(heavy[i] for i in kept)
            self._automaton.add(key, self._adder(index, offset, len(kept)))
            self._names[index].add(" ".join(light[i] for i in kept))

    @staticmethod
    def _adder(
        index: int, capital_word: int | None, words: int
    ) -> Callable[[_Pattern | None], _Pattern]:
        def add(existing: _Pattern | None) -> _Pattern:
            pattern = existing or _Pattern()
            if index not in pattern.places:
                pattern.places.append(index)
            if capital_word is not None and 0 <= capital_word < words:
                current = pattern.capital_word
                pattern.capital_word = (
                    capital_word if current is None else min(current, capital_word)
                )
            return pattern

        return add

    def _priority(self, index: int) -> tuple[int, int, int, int]:
        place = self._places[index]
        return (
            0 if index < self._profile_count else 1,
            0 if place.tracked else 1,
            0 if place.default_for_bare_name else 1,
            -(place.population or 0),
        )

    def _sort_candidates(self) -> None:
        for key in list(self._automaton.keys()):
            pattern = self._automaton.get(key)
            if pattern is not None:
                pattern.places.sort(key=self._priority)
                pattern.capital = key in self._capital_places

    def _fuzzy_choices(self) -> list[str]:
        """Single-word names (six letters or more) of profile places, for typo matching."""
        keys: list[str] = []
        for key in self._automaton.keys():  # noqa: SIM118 - not a dict
            pattern = self._automaton.get(key)
            if pattern is None or not pattern.places or " " in key or len(key) < FUZZY_MIN_LETTERS:
                continue
            if pattern.places[0] < self._profile_count:
                keys.append(key)
        return keys

    def _phrase_choices(self) -> dict[str, list[tuple[int, str, int]]]:
        """Multi-word names of profile places, indexed by each of their words:
        word -> [(position of the word, name key, place)]. A phrase of the text is compared
        (rapidfuzz) only with the names that share one word with it at the same position."""
        index: dict[str, list[tuple[int, str, int]]] = {}
        for key in self._automaton.keys():  # noqa: SIM118 - not a dict
            pattern = self._automaton.get(key)
            if pattern is None or not pattern.places or " " not in key:
                continue
            best = pattern.places[0]
            if best >= self._profile_count or len(key) < FUZZY_PHRASE_MIN_CHARS:
                continue
            for position, word in enumerate(key.split(" ")):
                if word != ARTICLE_KEY and len(word) >= 3:
                    index.setdefault(word, []).append((position, key, best))
        return index

    def _common_name_words(self) -> frozenset[str]:
        """Heavy keys of the words many places' multi-word names share ("kafr", "tal")."""
        counts: dict[str, int] = {}
        for place in self._places:
            words: set[str] = set()
            for name in [place.name, *place.aliases]:
                heavy = name_keys(name)[1]
                if len(heavy) > 1:
                    words.update(heavy)
            for word in words:
                counts[word] = counts.get(word, 0) + 1
        return frozenset(w for w, n in counts.items() if n >= GENERIC_WORD_MIN_PLACES)

    # ---- public API ----

    def places(self) -> list[PlaceSpec]:
        """Every known place (profile places extended by the gazetteer, then the rest)."""
        return list(self._places)

    def lookup(self, name: str) -> PlaceSpec | None:
        """Any spelling -> the canonical place (an exact canonical name wins)."""
        light, heavy, _ = name_keys(name)
        exact = self._exact.get(" ".join(light))
        if exact is not None:
            return self._places[exact]
        pattern = self._automaton.get(" ".join(heavy))
        if pattern is None:
            pattern = self._automaton.get(" ".join(k for k in heavy if k != ARTICLE_KEY))
        return self._places[pattern.places[0]] if pattern else None

    def find(self, text: str) -> list[PlaceMention]:
        """Every place mention in `text`, in order, with offsets into `text`."""
        return [
            PlaceMention(place=h.place, surface=h.surface, start=h.start, end=h.end)
            for h in self.find_hits(text)
        ]

    def find_hits(self, text: str) -> list[PlaceHit]:
        """`find` as plain named tuples, for callers that validate many at once."""
        if not text:
            return []
        tokens = tokenize(text)
        spans: list[tuple[int, int, tuple[int, int, int]]] = []
        seen: set[int] = set()
        for first, last, pattern in self._automaton.hits(tokens.heavy_text):
            seen.update(range(first, last + 1))
            if last > first and not tokens.one_phrase(first, last):
                continue
            index = self._accept(tokens, first, last, pattern)
            if index is not None:
                start, end = self._surface_span(tokens, first, last)
                spans.append((start, end, (index, first, last)))
        spans.extend(self._typos(tokens, seen))
        spans.extend(self._phrase_typos(tokens, seen))
        names = self._names_by_index
        return [
            PlaceHit(names[i], text[s:e], s, e)
            for s, e, (i, _, _) in longest_first(spans)
            if i >= 0
        ]

    # ---- matching rules ----

    def _accept(self, tokens: Tokens, first: int, last: int, pattern: _Pattern) -> int | None:
        if pattern.blocker:
            return -1
        light = tokens.light[first] if first == last else " ".join(tokens.light[first : last + 1])
        literal = [i for i in pattern.places if light in self._names[i]]
        candidates = pattern.places
        if pattern.capital_word is not None and not tokens.is_capitalised(
            first + pattern.capital_word
        ):
            candidates = literal = self._lowercase_places(tokens, first, last, literal)
            if not literal:
                return None
        elif not literal and self._all_english(tokens, first, last):
            return None
        index = self._choose(tokens, first, last, candidates, literal)
        if pattern.capital and capital_acts(tokens, first, last):
            return None  # the capital stands for its government here
        return index

    def _lowercase_places(
        self, tokens: Tokens, first: int, last: int, literal: list[int]
    ) -> list[int]:
        """Places a name written in lower case ("shelling on aleppo") may mean: only exact
        spellings of the profile's places or of big towns, in plain words of four letters or
        more that are not English words ("the nawa", "m4", "harem scene" stay unmatched)."""
        for key in tokens.light[first : last + 1]:
            if key == ARTICLE_KEY:
                continue
            if len(key) < LOWERCASE_MIN_LETTERS or not key.isalpha() or key in self._english:
                return []
        return [i for i in literal if self._known_well(i)]

    def _known_well(self, index: int) -> bool:
        place = self._places[index]
        return (
            (index < self._profile_count and place.kind != "village")
            or place.kind == "governorate"
            or (place.population or 0) >= LOWERCASE_MIN_POPULATION
        )

    def _all_english(self, tokens: Tokens, first: int, last: int) -> bool:
        """Only ordinary words (or words that are known to mean something else: "Sarin")."""
        words = [k for k in tokens.light[first : last + 1] if k != ARTICLE_KEY]
        return all(k in self._english or k in AMBIGUOUS_NAMES for k in words)

    def _choose(
        self, tokens: Tokens, first: int, last: int, candidates: list[int], literal: list[int]
    ) -> int:
        """The best candidate: one spelled exactly so, else by priority.

        A name shared by a city and a governorate is settled by context first, so a spelling
        listed only under the governorate ("Hasakeh") still means the city when bare."""
        if len(candidates) == 1:
            return candidates[0]
        governorates = [i for i in candidates if self._places[i].kind == "governorate"]
        others = [i for i in candidates if self._places[i].kind != "governorate"]
        if governorates and others:
            cue = _context_cue(tokens, first, last)
            if cue is None:
                preferred = [i for i in candidates if self._places[i].default_for_bare_name]
                cue = "governorate" if preferred else "city"
            candidates = governorates if cue == "governorate" else others
        exact = [i for i in candidates if i in literal]
        return (exact or candidates)[0]

    def _surface_span(self, tokens: Tokens, first: int, last: int) -> tuple[int, int]:
        """Include a hyphen-joined article the key left out ("Al-Nayrab", "an-Nayrab")."""
        start, end = tokens.span(first, last)
        if first > 0 and tokens.light[first - 1] == ARTICLE_KEY and tokens.hyphen_before(first):
            start = tokens.starts[first - 1]
        return start, end

    def _typos(
        self, tokens: Tokens, covered: set[int]
    ) -> list[tuple[int, int, tuple[int, int, int]]]:
        """Near-misses of profile place names ("Sarqeb"), on words no name matched."""
        if not self._fuzzy_keys:
            return []
        cache = self._fuzzy_cache
        new_words = set(tokens.words).difference(cache)
        if new_words:
            if len(cache) > 100_000:
                cache.clear()
                new_words = set(tokens.words)
            for word in new_words:
                cache[word] = self._fuzzy(word)
        found = []
        for index in compress(range(len(tokens.words)), map(cache.__getitem__, tokens.words)):
            key = cache[tokens.words[index]]
            if key is not None and index not in covered:
                place = self._typo_place(tokens, index, key)
                found.append((tokens.starts[index], tokens.end_of(index), (place, index, index)))
        return found

    def _typo_place(self, tokens: Tokens, index: int, key: str) -> int:
        """The place a misspelt word means: a misspelt "Idlib" is the city or the governorate
        by context, as the place's own name would be."""
        pattern = self._automaton.get(key)
        assert pattern is not None  # typo keys come from the automaton
        place = pattern.places[0]
        named = self._automaton.get(" ".join(name_keys(self._places[place].name)[1]))
        candidates = named.places if named is not None and place in named.places else [place]
        return self._choose(tokens, index, index, candidates, [])

    def _phrase_typos(
        self, tokens: Tokens, covered: set[int]
    ) -> list[tuple[int, int, tuple[int, int, int]]]:
        """Multi-word profile names with a typo or transliteration inside ("Khan Shekhoun",
        "Maarrat an-Nuaman"): a capitalised word no name covered that is a word of such a
        name anchors a phrase of the same length, compared as a whole with rapidfuzz."""
        found: list[tuple[int, int, tuple[int, int, int]]] = []
        heavy = tokens.heavy
        if self._phrase_index.keys().isdisjoint(heavy):
            return found
        anchors = compress(range(len(heavy)), map(self._phrase_index.__contains__, heavy))
        for at in anchors:
            if at in covered or not tokens.is_capitalised(at):
                continue
            for position, key, place in self._phrase_index[heavy[at]]:
                first = at - position
                last = first + key.count(" ")
                if first < 0 or last >= len(heavy) or not self._phrase_like(tokens, first, last):
                    continue
                if self._phrase_close(" ".join(heavy[first : last + 1]), key):
                    start, end = self._surface_span(tokens, first, last)
                    found.append((start, end, (place, first, last)))
                    break
        return found

    @staticmethod
    def _phrase_like(tokens: Tokens, first: int, last: int) -> bool:
        """Words joined by spaces or hyphens only, the first and last capitalised."""
        if not (tokens.is_capitalised(first) and tokens.is_capitalised(last)):
            return False
        return all(sep in _JOINING_SEPS for sep in tokens.seps[first + 1 : last + 1])

    def _phrase_close(self, phrase: str, key: str) -> bool:
        cached = self._phrase_cache.get((phrase, key))
        if cached is None:
            if len(self._phrase_cache) > 100_000:
                self._phrase_cache.clear()
            score = fuzz.ratio(phrase, key, score_cutoff=FUZZY_PHRASE_CUTOFF)
            close = (
                phrase != key
                and score > 0
                and _same_initials(phrase, key)
                and self._words_typo_shaped(phrase, key)
            )
            cached = self._phrase_cache[(phrase, key)] = close
        return cached

    def _words_typo_shaped(self, phrase: str, key: str) -> bool:
        """Each distinctive word of the name is a typo of its counterpart in the phrase
        ("Kafar Naya" is its own village, not "Kafr Naha": Naya and Naha differ in a consonant)."""
        pairs = zip(phrase.split(" "), key.split(" "), strict=False)
        return all(
            key_word in self._generic_words or typo_shaped(_bare(word), _bare(key_word))
            for word, key_word in pairs
        )

    def _fuzzy(self, word: str) -> str | None:
        """The profile place name (key) a capitalised, non-English word of six letters or more
        misspells."""
        if len(word) < FUZZY_MIN_LETTERS or not word[0].isupper():
            return None
        light = light_key(word)
        if not (light.isalpha() and light.isascii()) or light in self._english:
            return None
        heavy = heavy_key(light)
        if heavy.endswith("i") and self._automaton.get(heavy[:-1]) is not None:
            return None  # a nisba: a surname or adjective ("Seif al-Qalamoni"), not the place
        keys = self._fuzzy_by_initial.get(heavy[0], [])
        close = process.extract(heavy, keys, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=5)
        return next((key for key, _, _ in close if typo_shaped(heavy, key)), None)


def typo_shaped(word: str, key: str) -> bool:
    """Whether heavy key `word` can be a slip for the name word `key`, not another name.

    Transliterations differ in vowels ("Sarqeb", "Saraqueb"); a typo may add letters at the
    end ("Idlibs"). But a word lacking two letters of the name drops a syllable ("Mahatta" is
    not Maar Hattat), and a consonant of its own makes another name ("Zaidiyeh" is not
    Zaitiya), except one slip in a long word ("Skeikhoun")."""
    if len(key) - len(word) >= 2:
        return False
    text_skeleton, key_skeleton = _skeleton(word), _skeleton(key)
    if text_skeleton.startswith(key_skeleton):
        return True
    long_word = min(len(word), len(key)) >= TYPO_CONSONANT_SLIP_MIN_LETTERS
    return long_word and Levenshtein.distance(text_skeleton, key_skeleton) <= 1


_VOWELS = str.maketrans("", "", "aeiou")


def _skeleton(key: str) -> str:
    """The consonants of a heavy key, g and k as one (Toughan, Tuqan), runs merged."""
    consonants = key.translate(_VOWELS).replace("g", "k")
    return "".join(c for i, c in enumerate(consonants) if i == 0 or consonants[i - 1] != c)


def _bare(word: str) -> str:
    """A word without an attached article ("alduhur": "duhur")."""
    return word[2:] if word.startswith(ARTICLE_KEY) and len(word) > 4 else word


def _same_initials(phrase: str, key: str) -> bool:
    """Each word of a typo keeps its first letter: a changed or added initial makes another
    name ("Kafr Amma" is a town of its own, not a slip for "Kafr Hamra")."""
    return _initials(phrase) == _initials(key)


def _initials(key: str) -> str:
    """First letters of the words of a key, the article left out ("alnuman", "al numan": n)."""
    words = (w.removeprefix(ARTICLE_KEY) if len(w) > 3 else w for w in key.split(" "))
    return "".join(w[0] for w in words if w and w != ARTICLE_KEY)


def _by_initial(keys: list[str]) -> dict[str, list[str]]:
    """Typo candidates grouped by first letter (a typo keeps the initial of its word)."""
    groups: dict[str, list[str]] = {}
    for key in keys:
        groups.setdefault(key[0], []).append(key)
    return groups


def _context_cue(tokens: Tokens, first: int, last: int) -> str | None:
    """ "governorate", "city" or None from the words around a bare shared name."""
    after = tokens.light_of(last + 1)
    if after in _COMPASS and tokens.light_of(last + 2) in _GOVERNORATE_AFTER:
        return "governorate"  # "Aleppo's western countryside"
    if after in _GOVERNORATE_AFTER:
        return "governorate"
    if after in _CITY_AFTER:
        return "city"
    if tokens.light_of(first - 1) in _GOVERNORATE_BEFORE:
        return "governorate"
    if _provincial_capital(tokens, first, last):
        return "city"
    if _after_plural_governorates(tokens, first):
        return "governorate"
    if after == "and" and any(
        tokens.light_of(last + k) in _PLURAL_GOVERNORATE for k in range(2, 6)
    ):
        return "governorate"
    return None


def _provincial_capital(tokens: Tokens, first: int, last: int) -> bool:
    """ "the provincial capital Idlib", "Idlib, the provincial capital": the city."""
    if tokens.light_of(first - 1) == "capital":
        return True
    following = [tokens.light_of(last + k) for k in range(1, 4)]
    return (
        "capital" in following
        and following.index("capital") > 0
        and (following[following.index("capital") - 1] in ("provincial", "province", "regional"))
    )


def _after_plural_governorates(tokens: Tokens, first: int) -> bool:
    """ "the provinces of Idlib, Hama and Aleppo": every name of the list."""
    for back in range(2, 7):
        if tokens.light_of(first - back + 1) != "of":
            continue
        return tokens.light_of(first - back) in _PLURAL_GOVERNORATE
    return False
