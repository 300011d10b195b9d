"""Shared machinery for place and actor matching: tokens, folded keys, one automaton.

Outlets spell the same town many ways ("Maaret al-Nouman", "Ma'arrat al-Nu'man"). Instead of
listing every spelling, names and text pass through the same folding, token by token:

* light key: casefolded, accents and apostrophe/ayn marks dropped, every form of the Arabic
  article (al-, el-, ash-, ar-, ad-, an- ...) written "al". Actors are matched on light keys.
* heavy key: the light key with transliteration variants merged (q/k, ch/sh, gh/g, ou/oo/o/u,
  e/i, ay/ai/ei/ey, -ah/-eh, doubled letters, and the generic first words Kafr/Kfar,
  Jabal/Jebel, Tal/Tell/Tel, Maarat/Maaret/Maarrat). Places are matched on heavy keys.

The folded tokens are joined with single spaces and searched with one Aho-Corasick automaton
(pyahocorasick); a hit counts only when it starts and ends on token boundaries, and it maps
back to the original text through the token offsets, so `text[start:end]` is the surface.
Folding is cached per distinct token, so a long article costs one dictionary look-up per word.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, pairwise
from typing import TYPE_CHECKING, Generic, TypeVar

import ahocorasick

from core.text import fold

if TYPE_CHECKING:
    from core.extract.actors import ActorMatcher
    from core.extract.places import PlaceMatcher
    from core.profile import Profile


def word_set(text: str) -> frozenset[str]:
    """A set of words written as one whitespace-separated string (for readable tables)."""
    return frozenset(text.split())


# A word: letters/digits, possibly joined by an apostrophe or ayn mark ("Ma'arrat", "Nu‘man").
_TOKEN_SPLIT = re.compile(r"(\w+(?:['’‘ʼ`]\w+)*)")
# The same on ASCII-only text (most articles), where it splits alike and runs ~20% faster.
_TOKEN_SPLIT_ASCII = re.compile(_TOKEN_SPLIT.pattern, re.ASCII)
_MARKS = str.maketrans("", "", "'’‘ʿʾʼʻ`´")
_LETTER_FIXES = str.maketrans({"ı": "i", "ł": "l", "ø": "o", "đ": "d", "æ": "ae", "œ": "oe"})
# Forms of the Arabic article that are never English words: always the article.
ARTICLES = frozenset({"al", "el", "ash", "ath", "adh", "az", "ech", "esh", "ez", "ul"})
# Forms that are also English words: the article only when hyphen-joined ("an-Nayrab").
HYPHEN_ARTICLES = frozenset({"as", "at", "an", "ad", "ar", "ed", "er", "es", "et", "en"})
ARTICLE_KEY = "al"
# Single names too ambiguous to match on their own (people's names, ordinary words).
AMBIGUOUS_NAMES = frozenset(
    {"al", "tall", "tell", "tal", "salma", "mari", "bab", "dana", "deir", "ain", "khan"}
    # words that fold onto a place's name but mean something else: the nerve agent (Sarrin),
    # a surname (Hass)
    | {"sarin", "haass"}
)
_CACHE_LIMIT = 200_000
_ARABIC_FIXES = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ـ": ""})
_HEAVY_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"ch", "sh"),
        (r"gh", "g"),
        (r"dh", "d"),
        (r"th", "t"),
        (r"ph", "f"),
        (r"ck|q", "k"),
        (r"dj", "j"),
        (r"^k[aeiu]?f[aeiu]?r$", "kafr"),  # Kafr, Kafar, Kfar, Kefr: "village of"
        (r"^j[aei]?b[aei]l$", "jabal"),  # Jabal, Jebel, Jbel: "mountain"
        (r"^t[ae]l+$", "tal"),  # Tal, Tel, Tell, Tall: "hill"
        (r"^ma+r+[aei]t$", "marat"),  # Maarat, Maaret, Maarrat, Marat
        (r"(?<=[a-z])[ae]h$", "a"),
        (r"[ae][iy](?![aeiou])", "ai"),
        (r"ou|oo|o", "u"),
        (r"ee|ea|e", "i"),
        (r"(?<=[aiu])y(?![aiu])", ""),
        (r"(.)\1+", r"\1"),
    )
)


def is_possessive(word: str) -> bool:
    """`Idlib's`, `Moscow’s`: the trailing `'s` is not part of the name."""
    return len(word) > 2 and word[-1] in "sS" and word[-2] in "'’"


def light_key(word: str) -> str:
    """Casefolded, accent- and mark-free form of one token; articles become "al"."""
    if is_possessive(word):
        word = word[:-2]
    key = fold(word).translate(_MARKS).translate(_LETTER_FIXES)
    if not key.isascii():
        key = _arabic_key(key)
    if key in ARTICLES:
        return ARTICLE_KEY
    return key or "_"


# Arabic writes 'and', 'in/with', 'to' and 'so' as one-letter prefixes of the next word
# ("وسراقب", "and Saraqib"); 'to the' as لل.
_ARABIC_PROCLITICS = ("و", "ب", "ل", "ف")


def _arabic_key(key: str) -> str:
    """Arabic script: unify alef/ta marbuta/alef maqsura and drop an attached conjunction or
    preposition and the article. Names and text are keyed alike, so a name that itself starts
    with one of those letters still meets itself."""
    key = key.translate(_ARABIC_FIXES)
    if key.startswith("لل") and len(key) > 4:
        key = "ال" + key[2:]
    # all of them ('وب', 'and in'); a name that starts with such a letter loses it too, the
    # same way in the text and in the gazetteer, so the two keys still agree
    while key.startswith(_ARABIC_PROCLITICS) and len(key) > 3:
        key = key[1:]
    if key.startswith("ال") and len(key) > 4:
        key = key[2:]
    return key


def heavy_key(light: str) -> str:
    """Transliteration-insensitive form of a light key ("sheikhoun" and "shaykhun" agree)."""
    if not light.isascii() or light == ARTICLE_KEY:
        return light
    for pattern, replacement in _HEAVY_RULES:
        light = pattern.sub(replacement, light)
    return light or "_"


_LIGHT_CACHE: dict[str, str] = {}
_HEAVY_CACHE: dict[str, str] = {}


def _cached(cache: dict[str, str], compute: Callable[[str], str], keys: list[str]) -> list[str]:
    """`compute` over `keys`, each distinct key computed once per process (C-speed look-ups)."""
    out = list(map(cache.get, keys))
    if None in out:
        if len(cache) > _CACHE_LIMIT:
            cache.clear()
        for index, value in enumerate(out):
            if value is None:
                key = keys[index]
                known = cache.get(key)
                out[index] = known if known is not None else cache.setdefault(key, compute(key))
    return out  # type: ignore[return-value]


@dataclass(slots=True)
class Tokens:
    """A text cut into words, with both key forms and the offsets to map matches back."""

    text: str
    words: list[str]
    seps: list[str]  # seps[i] is the text before word i; seps[-1] follows the last word
    starts: list[int]
    ends: list[int]
    light: list[str]
    heavy: list[str]
    light_text: str  # " " + light keys joined by spaces + " "
    heavy_text: str

    def end_of(self, index: int) -> int:
        """Where word `index` ends in the text, without a possessive `'s`."""
        end = self.ends[index]
        return end - 2 if is_possessive(self.words[index]) else end

    def span(self, first: int, last: int) -> tuple[int, int]:
        return self.starts[first], self.end_of(last)

    def light_of(self, index: int) -> str:
        return self.light[index] if 0 <= index < len(self.light) else ""

    def is_capitalised(self, index: int) -> bool:
        """Not starting with a lower-case letter (digits and Arabic script count as capitals)."""
        return 0 <= index < len(self.words) and not self.words[index][0].islower()

    def one_phrase(self, first: int, last: int) -> bool:
        """Words first..last are not split by punctuation ("Damascus. Regime forces" holds
        no "Damascus regime"; "U.S.-led" is one phrase)."""
        return first == last or not any(map(_breaks_phrase, self.seps[first + 1 : last + 1]))

    def hyphen_before(self, index: int) -> bool:
        return 0 < index < len(self.seps) and self.seps[index] in ("-", "‐", "‑")


_PHRASE_BREAK = re.compile(r"[,;:!?()\[\]{}\"“”|\n]|[.…]\s")


def _breaks_phrase(separator: str) -> bool:
    return len(separator) > 1 and _PHRASE_BREAK.search(separator) is not None


def _hyphen_articles(light: list[str], seps: list[str]) -> None:
    """`an-Nayrab`, `at-Tamanah`: an English-looking article form joined by a hyphen."""
    index = 0
    while True:
        try:
            index = seps.index("-", index + 1)
        except ValueError:
            return
        if index < len(light) and light[index - 1] in HYPHEN_ARTICLES:
            light[index - 1] = ARTICLE_KEY


@lru_cache(maxsize=8)
def tokenize(text: str) -> Tokens:
    """Cut `text` into words and fold them (cached: places and actors share one pass)."""
    parts = (_TOKEN_SPLIT_ASCII if text.isascii() else _TOKEN_SPLIT).split(text)
    words = parts[1::2]
    pos = list(accumulate(map(len, parts), initial=0))
    seps = parts[0::2]
    light = _cached(_LIGHT_CACHE, light_key, words)
    _hyphen_articles(light, seps)
    heavy = _cached(_HEAVY_CACHE, heavy_key, light)
    return Tokens(
        text=text,
        words=words,
        seps=seps,
        starts=pos[1::2][: len(words)],
        ends=pos[2::2][: len(words)],
        light=light,
        heavy=heavy,
        light_text=f" {' '.join(light)} ",
        heavy_text=f" {' '.join(heavy)} ",
    )


def name_keys(name: str) -> tuple[list[str], list[str], list[bool]]:
    """A profile name's light keys, heavy keys and which words are capitalised.

    In a name every article form is the article, hyphen or not ("Bab as Salama")."""
    words = _TOKEN_SPLIT.split(name)[1::2]
    light = [light_key(w) for w in words]
    light = [ARTICLE_KEY if k in HYPHEN_ARTICLES else k for k in light]
    heavy = [heavy_key(k) for k in light]
    return light, heavy, [not w[0].islower() for w in words]


def article_variants(
    keys: list[str], allow_bare: Callable[[list[str]], bool]
) -> Iterator[list[int]]:
    """Indices of `keys` to keep, with each "al" kept or dropped ("Jabal (al-)Zawiya").

    Dropping a leading article must leave a name `allow_bare` accepts (not "Bab" for Al-Bab)."""
    slots = [i for i, k in enumerate(keys) if k == ARTICLE_KEY][:3]
    for mask in range(1 << len(slots)):
        dropped = {slots[b] for b in range(len(slots)) if mask >> b & 1}
        kept = [i for i in range(len(keys)) if i not in dropped]
        if not kept or (0 in dropped and not allow_bare([keys[i] for i in kept])):
            continue
        yield kept


P = TypeVar("P")


class Automaton(Generic[P]):
    """An Aho-Corasick automaton over joined keys, reporting whole-word hits only."""

    def __init__(self) -> None:
        self._automaton = ahocorasick.Automaton()
        self._payloads: dict[str, P] = {}

    def add(self, key: str, payload_for: Callable[[P | None], P]) -> None:
        """Add `key`, its payload computed from the existing one (None if new)."""
        self._payloads[key] = payload_for(self._payloads.get(key))

    def build(self) -> None:
        for key, payload in self._payloads.items():
            self._automaton.add_word(f" {key} ", (len(key) + 2, key.count(" "), payload))
        if self._payloads:
            self._automaton.make_automaton()

    def get(self, key: str) -> P | None:
        return self._payloads.get(key)

    def keys(self) -> Iterable[str]:
        return self._payloads.keys()

    def hits(self, joined: str) -> list[tuple[int, int, P]]:
        """Whole-word hits on `joined` (" " + folded words joined by spaces + " ") as
        (first word, last word, payload).

        Keys are stored with a space on each side, so every hit is word-aligned, and the word
        a hit starts on is the number of spaces before it. Hits arrive in order of their end
        and keys are short, so the count moves forward (or briefly back) from the previous
        hit: C-speed counting, linear over the whole text even when it is hostile."""
        if not self._payloads or len(joined) < 3:
            return []
        found: list[tuple[int, int, P]] = []
        count = joined.count
        position = spaces_before = 0
        for end, (length, spaces, payload) in self._automaton.iter(joined):
            start = end - length + 1
            if start >= position:
                spaces_before += count(" ", position, start)
            else:
                spaces_before -= count(" ", start, position)
            position = start
            found.append((spaces_before, spaces_before + spaces, payload))
        return found


S = TypeVar("S")


def longest_first(spans: list[tuple[int, int, S]]) -> list[tuple[int, int, S]]:
    """Non-overlapping spans in text order; where spans overlap, the longer one wins."""
    ordered = sorted(spans, key=_start_then_longest)
    outer = _drop_nested(ordered)
    if all(a[1] <= b[0] for a, b in pairwise(outer)):
        return outer  # the usual case: only names inside longer names ("Idlib province")
    chosen: list[tuple[int, int, S]] = []
    cluster: list[tuple[int, int, S]] = []
    cluster_end = -1
    for span in ordered:
        if span[0] >= cluster_end and cluster:
            chosen.extend(_resolve(cluster))
            cluster = []
        cluster.append(span)
        cluster_end = max(cluster_end, span[1])
    chosen.extend(_resolve(cluster))
    return chosen


def _drop_nested(ordered: list[tuple[int, int, S]]) -> list[tuple[int, int, S]]:
    """Spans (sorted by start, longest first) without those inside an earlier one."""
    kept: list[tuple[int, int, S]] = []
    reach = -1
    for span in ordered:
        if span[1] > reach:
            kept.append(span)
            reach = span[1]
    return kept


def _start_then_longest(span: tuple[int, int, object]) -> tuple[int, int]:
    return span[0], -span[1]


def _resolve(cluster: list[tuple[int, int, S]]) -> list[tuple[int, int, S]]:
    """Greedy longest-first choice inside one group of overlapping spans."""
    if len(cluster) < 2:
        return cluster
    starts: list[int] = []  # chosen spans, kept sorted by start; they never overlap
    ends: list[int] = []
    taken: list[tuple[int, int, S]] = []
    for span in sorted(cluster, key=lambda s: (s[0] - s[1], s[0])):
        at = bisect.bisect_left(starts, span[0])
        if (at < len(starts) and starts[at] < span[1]) or (at and ends[at - 1] > span[0]):
            continue
        starts.insert(at, span[0])
        ends.insert(at, span[1])
        taken.append(span)
    return sorted(taken, key=lambda s: s[0])


# Web2 lists headwords only: the inflected function words a sentence may open with ("Has the
# army ...") would otherwise fold onto a short place name ("Hass").
_INFLECTED_FUNCTION_WORDS = word_set("has was does did goes its hers ours theirs yours whose")


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """Ordinary lower-case English words (Webster's 2nd, from the `english-words` package)."""
    try:
        from english_words import get_english_words_set
    except ImportError:  # pragma: no cover - a dependency; degrade to no word check
        return frozenset()
    words = get_english_words_set(["web2"], lower=False, alpha=True)
    return frozenset(w for w in words if w.islower()) | _INFLECTED_FUNCTION_WORDS


# ---- who acts: capitals and countries as actors rather than places -------------------------

LOCATIVE_BEFORE = word_set(
    """
    in to from into inside outside at near around via across through toward towards within
    visited visit visiting arrived arrive travelled traveled flew returned headed back entered
    enter entering reach reached fled flee fleeing crossed abroad of
    """
)
ALLY_WORDS = word_set(
    """
    ally allies partner partners backer backers patron support pressure side behalf
    """
)
# 'a raid blamed on Damascus', 'strikes attributed to Moscow': (word before, the one before it)
BLAME_BEFORE = frozenset(
    [(on, verb) for on in ("on", "upon") for verb in ("blamed", "blames", "blaming", "pinned")]
    + [("to", verb) for verb in ("attributed", "attributes", "attributing", "ascribed")]
)
AGENT_BEFORE = frozenset(["by", "between", "with", "against", "and", "versus", "vs"])
BORDER_WORDS = frozenset(["border", "borders", "frontier", "crossing", "crossings"])
PLACE_NOUNS = word_set(
    """
    suburbs suburb outskirts countryside old city streets street airport neighbourhood
    neighborhood district districts centre center university hospital
    """
)
ADVERBS = frozenset(
    ["also", "now", "still", "again", "reportedly", "then", "already", "has", "have", "had"]
)
VERBS = word_set(
    """
    said says say has have had is was were are will would could can may might must should
    wants want warned warns insists insisted accused accuses denied denies vowed vows
    threatened threatens agreed agrees rejected rejects demanded demands announced announces
    launched launches sent sends deployed deploys blamed blames urged urges called calls hit
    struck backs supports supported sees seeks sought plans planned continues continued
    responded retaliated claimed claims believes considers keeps kept refused refuses did does
    told tells asked asks hopes expects expected pushed pressed signed brokered pledged
    promised condemned condemns opposed opposes welcomed welcomes confirmed confirms
    relaunched resumed stepped insist warn accuse deny vow threaten agree reject demand
    announce launch send deploy blame urge hopes intends intended needs needed appears
    appeared remains remained
    """
)
# Verbs whose object is a government rather than a place ("urged Ankara", "accused Moscow");
# after any other verb a capital is a target or a destination ("jets hit Damascus").
ADDRESS_VERBS = word_set(
    """
    urged urges urging accused accuses accusing warned warns warning told tells asked asks
    pressed presses pressured pressuring blamed blames blaming criticised criticized
    criticises criticizes condemned condemns backed backs supported supports thanked thanks
    praised praises invited invites lobbied lobbies called calls rebuked rebukes sanctioned
    sanctions reassured reassures assured assures informed informs notified notifies joined
    joins persuaded persuades convinced convinces implored implores helped helps helping aided
    aids assisted assists armed arms supplied supplies protected protects defended defends
    shielded shields rescued rescues propped
    """
)
# Joined to a name by a hyphen, these name someone else ("Turkey-backed", "US-led" rebels).
# "-held", "-controlled", "-run" do not: "IS-held areas" names IS as the holder, as
# "rebel-held" names the rebels.
PROXY_WORDS = word_set(
    """
    backed sponsored supported funded allied aligned affiliated linked trained armed led
    brokered
    """
)
# "<X>-led rebels", "<X>-linked cells": X's own people (X acts), unlike a sponsor's proxy.
LEADER_WORDS = word_set("led linked affiliated")


def _looks_like_verb(tokens: Tokens, index: int) -> bool:
    if index >= len(tokens.words) or tokens.hyphen_before(index):
        return False
    key = tokens.light[index]
    word = tokens.words[index]
    return key in VERBS or (word.islower() and key.endswith("ed") and len(key) > 4)


def _next_is_verb(tokens: Tokens, index: int) -> bool:
    """Word `index` (after skipping an adverb or two) is a finite verb."""
    for step in range(3):
        if _looks_like_verb(tokens, index + step):
            return True
        if tokens.light_of(index + step) not in ADVERBS:
            return False
    return False


def followed_by_proxy_word(tokens: Tokens, last: int) -> bool:
    """`Turkey-backed`, `Iran-led`: the name describes a proxy, not itself acting."""
    nxt = last + 1
    return tokens.hyphen_before(nxt) and tokens.light_of(nxt) in PROXY_WORDS


def followed_by_leader_word(tokens: Tokens, last: int) -> bool:
    """`Nusra-led`, `IS-linked`: the name leads (or is) the group described after it."""
    nxt = last + 1
    return tokens.hyphen_before(nxt) and tokens.light_of(nxt) in LEADER_WORDS


_PLACE_VERBS = frozenset(("is", "was", "lies", "lay", "sits", "remains"))
_PLACE_PREDICATES = frozenset((
    "far", "near", "close", "located", "situated", "home", "about", "some", "only", "just",
    "north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest",
))  # fmt: skip


def _described_as_a_place(tokens: Tokens, index: int) -> bool:
    """'is far from', 'lies 300 km south of': the capital is where something is, not who acts."""
    if tokens.light_of(index) not in _PLACE_VERBS:
        return False
    nxt = tokens.light_of(index + 1)
    return nxt in _PLACE_PREDICATES or nxt.isdigit()


def capital_acts(tokens: Tokens, first: int, last: int) -> bool:
    """Whether a capital at words first..last stands for its government here.

    Acts: subject of a verb ("Damascus relaunched", "Damascus and Moscow have turned"),
    possessive ("Moscow's air power"), blamed ("a raid blamed on Damascus"), agent or partner
    ("brokered by Washington", "between Moscow and Ankara", "ally of Damascus"), object of a
    verb ("urged Ankara"), or joined to another capital ("Damascus-Moscow alliance"). A place:
    after a locative word ("in Moscow", "talks in Istanbul"), a dateline, or a modifier
    ("the Moscow deal", "Moscow summit").
    """
    if followed_by_proxy_word(tokens, last):
        return False
    if is_possessive(tokens.words[last]):
        return tokens.light_of(last + 1) not in PLACE_NOUNS
    before = tokens.light_of(first - 1)
    if (before, tokens.light_of(first - 2)) in BLAME_BEFORE:
        return True
    if before in LOCATIVE_BEFORE:
        return before == "of" and tokens.light_of(first - 2) in ALLY_WORDS
    if before == "with" and tokens.light_of(first - 2) in BORDER_WORDS:
        return False
    if before == "and" and tokens.light_of(first - 3) in LOCATIVE_BEFORE:
        return False  # 'from Aleppo to Latakia and Damascus': one more place
    if before in AGENT_BEFORE and (before != "and" or tokens.is_capitalised(first - 2)):
        return True
    if tokens.hyphen_before(first) and tokens.is_capitalised(first - 1):
        return True
    if tokens.hyphen_before(last + 1) and tokens.is_capitalised(last + 1):
        return True
    if _described_as_a_place(tokens, last + 1):
        return False  # 'Moscow is far from Idlib', 'Damascus lies 300 km south'
    if _next_is_verb(tokens, last + 1):
        return True
    joined = tokens.light_of(last + 1) == "and" and tokens.is_capitalised(last + 2)
    if joined and _next_is_verb(tokens, last + 3):
        return True  # 'Damascus and Moscow have turned'
    return tokens.light_of(first - 1) in ADDRESS_VERBS and tokens.words[first - 1].islower()


def country_acts(tokens: Tokens, first: int, last: int) -> bool:
    """A country name is the actor unless it is a destination, origin or border."""
    if followed_by_proxy_word(tokens, last):
        return False
    before = tokens.light_of(first - 1)
    if before in LOCATIVE_BEFORE and before != "of":
        return False
    if before == "with" and tokens.light_of(first - 2) in BORDER_WORDS:
        return False
    after = last + 2 if tokens.hyphen_before(last + 1) else last + 1  # "Turkey-Syria border"
    return tokens.light_of(after) not in BORDER_WORDS


_MATCHERS: dict[int, tuple[object, object, object]] = {}


def get_matchers(profile: Profile) -> tuple[PlaceMatcher, ActorMatcher]:
    """The place and actor matchers of `profile`, built once and kept for the process."""
    from core.extract.actors import ActorMatcher
    from core.extract.places import PlaceMatcher

    cached = _MATCHERS.get(id(profile))
    if cached is None or cached[0] is not profile:
        cached = (profile, PlaceMatcher(profile), ActorMatcher(profile))
        _MATCHERS[id(profile)] = cached
    return cached[1], cached[2]  # type: ignore[return-value]
