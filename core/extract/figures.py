"""Humanitarian figures: a number, what happened to whom, where, and who did it.

A number counts only when a category cue governs it inside its clause, found with a small
dependency-free pattern approach over tokens:

1. the number's noun phrase: up to six words after it ending in a people noun ("Turkish
   soldiers", "displaced people") or an aid noun ("trucks", "food rations"); a number followed
   by any other noun ("tanks", "villages", "km", "years", "percent") is not a figure;
2. the cue: a verb or noun directly before the number ("killed five", "the deaths of 284",
   "death toll rose to 50"), or after its noun phrase within a short window that stops at
   clause barriers ("said", "but", ";", another number) - "were killed", "had fled";
3. else the category the noun phrase carries itself ("refugees", "casualties", "bodies");
4. a sub-count ("including two children", "69 of them children") is its own figure and takes
   its head's category unless it has its own cue; a number coordinated with the previous
   figure ("seven soldiers and one contractor") or compared with it ("against 928") shares it.

Dates, years, ages, times, money, percentages, identifiers ("M4", "Su-24", resolution numbers)
and compound adjectives ("four-party", "12-year-old") are rejected before any of this.
"""

from __future__ import annotations

import re
from collections.abc import Container, Sequence
from dataclasses import dataclass, field
from itertools import compress
from operator import attrgetter
from typing import Literal

from core.extract import ActorRef, PlaceRef, lowered_for_matching, word_set
from core.extract.dates import MONTHS, DateRef
from core.extract.numbers import NumberSpan, QualifierName, Token, find_numbers, tokenize
from core.models import FigureCategory

# 'trapped', 'under the rubble' after a count: a state that is no category ('missing' only when
# the text says so); it governs the number so that no other cue claims it.
CueName = FigureCategory | Literal["stranded"]

_PEOPLE = word_set(
    """
    people person persons civilian civilians child children kid kids woman women man men
    soldier soldiers troop troops fighter fighters militant militants rebel rebels member
    members personnel serviceman servicemen officer officers commander commanders jihadist
    jihadists terrorist terrorists insurgent insurgents gunman gunmen policeman policemen police
    volunteer volunteers worker workers doctor doctors medic medics nurse nurses journalist
    journalists reporter reporters resident residents inhabitant inhabitants villager villagers
    family families household households individual individuals refugee refugees idp idps
    evacuee evacuees returnee returnees migrant migrants syrian syrians kurd kurds turk turks
    iraqi iraqis afghan afghans palestinian palestinians lebanese iranians iranian russians
    detainee detainees prisoner prisoners student students pupil pupils baby babies infant
    infants girl girls boy boys minor minors patient patients others dead body bodies casualty
    casualties victim victims contractor contractors staff employee employees teacher teachers
    militiaman militiamen combatant combatants guard guards captive captives hostage hostages
    protester protesters demonstrator demonstrators worshipper worshippers passenger passengers
    farmer farmers shepherd shepherds elderly lives citizen citizens recruit recruits conscript
    conscripts defector defectors relative relatives rescuer rescuers paramedic paramedics
    wounded injured displaced more mercenaries mercenary trooper troopers forces paratroopers
    marines sailors airmen pilots gunmen loyalists partisans recruits peacekeepers peacekeeper
    brother brothers sister sisters son sons daughter daughters mother mothers father fathers
    comrade comrades colleague colleagues operative operatives attacker attackers assailant
    assailants sibling siblings cousin cousins crewman crewmen crew adult adults
    """
)
_PEOPLE_BUT_LIVES = _PEOPLE - {"lives"}  # 'members of one family' / 'the lives of 33'
_COUNTED_OF = _PEOPLE_BUT_LIVES - {"bodies", "body"}  # 'the bodies of four children'
_POSSESSIVES = word_set("its their his her our your the these those")
_AID = word_set(
    """
    truck trucks lorry lorries convoy convoys basket baskets ration rations parcel parcels
    delivery deliveries shipment shipments truckload truckloads
    """
)
_INTRINSIC: dict[str, FigureCategory] = {
    "refugee": "refugees", "refugees": "refugees", "casualty": "casualties",
    "casualties": "casualties", "returnee": "returnees", "returnees": "returnees",
    "idp": "displaced", "idps": "displaced", "evacuee": "displaced", "evacuees": "displaced",
    "displaced": "displaced", "body": "killed", "bodies": "killed", "dead": "killed",
    "lives": "killed", "detainee": "detained", "detainees": "detained", "wounded": "injured",
    "injured": "injured", "missing": "missing",
}  # fmt: skip
_STOP = word_set(
    """
    in on at of from to by for with near into across and or but nor were was are is be been
    being have has had who that which the a an this these those their its his her our your
    than as after before when while since during including among amid under over about
    around per between within without against toward towards through via outside inside
    whom whose where said says told according reportedly also all both each already still
    now currently previously together alone so there here abroad overall altogether last
    next yesterday today overnight early late monday tuesday wednesday thursday friday saturday
    sunday earlier later ago recently this although though because until unless whereas if
    total
    """
)
_VERBISH = word_set(
    """
    remain remains remained live lives lived living stay stays stayed sleep sleeping slept
    arrive arrived arriving gather gathered take took came come went crossed reach reached
    receive received rely relied depend depended face faced lack lacked spent waiting massed
    stranded sheltering camping huddled trapped need needs needed require required requires
    die died dies lost left sought fled got found made ran fell lay stood held kept began froze
    became
    """
)
_SUBCOUNT_BEFORE = (("including",), ("incl",), ("among", "them"), ("among", "whom"), ("of", "whom"))
_FILLERS_BEFORE = word_set(
    """
    a an another additional further more at to of rose risen climbed reached stood stands hit
    jumped was is has had now been all the
    """
)
_COMPARE = frozenset(("against", "versus", "vs"))
_LISTING_VERBS = word_set("were are was is included include includes")
_COMPARE_PAIRS = frozenset((("compared", "with"), ("compared", "to")))
# 'reached 900,000, up from 700,000': the earlier value of the same running count, not a figure.
_EARLIER_VALUE = frozenset((("up", "from"), ("down", "from"), ("from", "just"), ("up", "on")))
_CHANGE_VERBS = word_set(
    "rose risen rise rises increased increases grew grown jumped climbed fell dropped declined"
    " decreased up down"
)
_REJECT_BEFORE = word_set(
    """
    resolution no number # article page chapter highway route road flight unit brigade
    division regiment battalion corps squadron phase round level grade class room block
    platoon decree law item aged age ages $ € £ us$ usd eur released freed exchanged swapped
    pardoned sorties km
    """
)
_UNIT_AFTER = word_set("% percent per : am pm gmt")
_BARRIER_WORDS = word_set(
    """
    said says say told tell according while whereas but although though because unless if
    when after before as than where however
    """
)
_BARRIER_PUNCT = frozenset(';:()"“”—–[]')
_PERPETRATOR_EXCLUDED_SIDES = frozenset(("humanitarian", "monitor", "media", "international"))
_AID_CONTEXT = re.compile(
    r"\b(?:aid|food|humanitarian|relief|medic\w*|supplies|deliver\w*|convoys?|cross-?border|"
    r"crossed|WFP|UN|OCHA|UNHCR|UNICEF)\b",
    re.IGNORECASE,
)
_CUES = re.compile(
    r"\b(?:"
    r"(?P<casualties>casualt(?:y|ies)"
    r"|(?:killed|killing|dead) (?:or|and) (?:wounded|wounding|injured|injuring|hurt)"
    r"|(?:wounded|wounding|injured|injuring) (?:or|and) (?:killed|killing|dead))"
    r"|(?P<refugees>refugees?|sought refuge|seeking refuge|fled abroad|asylum[- ]seekers"
    r"|fled (?:the country|across the border|to (?:turkey|lebanon|jordan|europe|iraq|germany))"
    r"|temporary protection)"
    r"|(?P<returnees>returned|returning|returnees?|(?:gone|went|come|came) back)"
    r"|(?P<displaced>displaced|displacing|displacement|fled|flee|flees|fleeing|uprooted"
    r"|forced (?:to flee|from their homes|out of their homes|to leave)|on the move|homeless"
    r"|evacuated|(?:arriving|arrived) (?:at|in) (?:the )?(?:[\w'’-]+ ){0,2}?camps?\b"
    r"|left their homes|escaped)"
    r"|(?P<in_need>in need|(?:need|needs|needed|require|requires|required|requiring|rely|relies"
    r"|relying|depend|depends|dependent)(?: on)?(?: [a-z-]+){0,2}? (?:assistance|aid|help"
    r"|support|protection|shelter|food))"
    r"|(?P<detained>detained|detaining|detainees?|arrested|arresting|abducted|abducting"
    r"|kidnapped|kidnapping|held captive|taken prisoner|being held|were held|rounded up|captured)"
    r"|(?P<missing>missing|disappeared|unaccounted for|searching for)"
    r"|(?P<stranded>trapped|under (?:the )?rubble|buried)"
    r"|(?P<injured>injured|injuring|injuries|wounded|wounding|injure|wound|hurt|maimed)"
    r"|(?P<killed>killed|killing|kills|kill|dead|died|dies|death toll|deaths?|toll|lost their lives"
    r"|bodies of"
    r"|(?:claimed|claiming|claims|claim|took|taken|taking|cost|costing)\s+(?:the\s+)?lives\s+of"
    r"|lost (?:his|her) life|perished|slain|executed|massacred|fatalities|shot dead"
    r"|froze to death|frozen to death|freezing to death|died of (?:the )?cold"
    r"|martyred|martyrs|martyrdom\s+of)"
    r")\b",
    re.IGNORECASE,
)
_CUES_LOWER = re.compile(_CUES.pattern)  # for lower-cased text: every literal is lower case
# Every word that can start a cue or name a counted thing: a sentence without one of these is
# never read for figures (a set look-up per word instead of a regex per sentence).
CUE_WORDS = word_set(
    """
    kill injure wound killed killing kills dead died dies death deaths toll lives perished
    slain executed
    massacred fatalities casualty casualties injured injuring injuries wounded wounding hurt
    maimed refugee refugees refuge asylum protection returned returning returnee returnees back
    displaced displacing displacement fled flee flees fleeing uprooted forced move homeless
    evacuated evacuees evacuee idps idp arriving arrived left escaped need needs needed require
    requires required requiring rely relies relying depend depends dependent detained detaining
    detainee detainees arrested arresting abducted abducting kidnapped kidnapping held prisoner
    rounded captured missing disappeared unaccounted searching rubble truck trucks lorry lorries
    convoy convoys basket baskets ration rations parcel parcels delivery deliveries shipment
    shipments truckload truckloads body bodies lost sought seeking martyred martyrs martyrdom
    froze frozen freezing
    """
)
# First words of cues not already in CUE_WORDS ('in need', 'on the move', 'under the rubble').
_CUE_STARTS = word_set(
    "in on under temporary asylum fled forced gone went come came shot taken being were trapped"
    " buried claimed claiming claims claim took taking cost costing froze frozen freezing"
    " martyred martyrs martyrdom"
)
_QUOTE_MARKS = frozenset("\"'“”‘’")
_PARTICIPLE_HEADS = frozenset(("wounded", "injured", "dead", "displaced", "missing", "more"))
_FORWARD_WINDOW = 8
_TOLL_WINDOW = 14
_BARE_FORWARD_WINDOW = 3


@dataclass(slots=True)
class FigureDraft:
    """A figure found in one sentence (offsets relative to the sentence)."""

    category: FigureCategory
    value: int
    low: int | None
    high: int | None
    qualifier: QualifierName
    group: str | None
    place: str | None
    actor: str | None
    start: int
    end: int


@dataclass(slots=True)
class _Phrase:
    """The noun phrase a number counts: token range and head (None when the number is bare)."""

    first: int
    last: int
    head: str | None
    subcount: bool = False


@dataclass(slots=True)
class _Context:
    text: str
    tokens: list[Token]
    cues: dict[int, tuple[CueName, int]]  # token index -> (category, cue end char)
    number_starts: set[int]
    places: Sequence[PlaceRef]
    actors: Sequence[ActorRef]
    found: list[FigureDraft] = field(default_factory=list)
    heads: list[FigureDraft] = field(default_factory=list)  # figures that are not sub-counts
    phrase_ends: list[int] = field(default_factory=list)
    counted: list[tuple[int, int]] = field(default_factory=list)  # spans of counted groups


# 'half of', 'a third of', 'most of', '40 percent of' the number: a share of a total.
_SHARE_WORDS = word_set(
    """
    half halves third thirds quarter quarters fifth fifths tenth tenths majority most many
    some part portion share fraction percent proportion minority
    """
)


_RELATIVE_WORDS = frozenset({"who", "that", "which", "whom"})
# Right after the total's noun these modify it ('the 50 fighters killed in the raids'); an
# intransitive verb there is the share's predicate ('half of the 3 million people fled').
_PASSIVE_PARTICIPLES = word_set("killed wounded injured hurt displaced detained arrested dead")
_FINITE_BE_HAVE = word_set("was were is are have has had remain remained")


def might_have_figures(words: frozenset[str] | set[str]) -> bool:
    """A cheap prefilter on a sentence's lowercased words: a cue word is present."""
    return not CUE_WORDS.isdisjoint(words)


def _singular(word: str) -> str:
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def _is_head(word: str) -> bool:
    return word in _PEOPLE or word in _AID or _singular(word) in _AID


_CUE_LEADS = CUE_WORDS | _CUE_STARTS
_LOW_OF = attrgetter("low")


def _cue_map(text: str, tokens: list[Token]) -> dict[int, tuple[CueName, int]]:
    """Cues by the token they start at; the regex runs only where a cue word stands (found by
    C-level set look-ups), on the lower-cased sentence where that is exact."""
    lowered = lowered_for_matching(text)
    subject, cue_pattern = (text, _CUES) if lowered is None else (lowered, _CUES_LOWER)
    cues: dict[int, tuple[CueName, int]] = {}
    covered = 0  # 'killed and wounded' is one cue (casualties), not a cue inside another
    for i in compress(range(len(tokens)), map(_CUE_LEADS.__contains__, map(_LOW_OF, tokens))):
        start = tokens[i].start
        if start < covered:
            continue
        match = cue_pattern.match(subject, start)
        if match is not None and match.lastgroup is not None and not _unrealised(tokens, i):
            cues[i] = (match.lastgroup, match.end())  # type: ignore[assignment]
            covered = match.end()
    return cues


def _low(tokens: list[Token], i: int) -> str:
    return tokens[i].low if 0 <= i < len(tokens) else ""


# A bare present-tense cue ('Strikes kill 16 civilians', headline style) after one of these
# is a threat, plan or hypothesis, not something that happened: 'vowed to kill 50 hostages'.
_BASE_FORM_CUES = word_set("kill injure wound")
_UNREALISED_BEFORE = word_set(
    "to will would could can may might must shall should not never cannot threatened vowed"
)


# 'are expected to flee', 'could return': a projection ('continue to flee' is happening)
_PROJECTED_CUES = word_set("flee return")
_MODALS = word_set("will would could can may might must shall should cannot")
_PROJECTION_BEFORE_TO = word_set("expected likely set poised going feared forecast projected due")


def _unrealised(tokens: list[Token], i: int) -> bool:
    word, before = tokens[i].low, _low(tokens, i - 1)
    if word in _BASE_FORM_CUES:
        return before in _UNREALISED_BEFORE
    if word in _PROJECTED_CUES:
        return before in _MODALS or (
            before == "to" and _low(tokens, i - 2) in _PROJECTION_BEFORE_TO
        )
    return False


_MODIFIER_PREPS = word_set("of from in")


def _modifies_noun(tokens: list[Token], i: int) -> bool:
    """The number at token `i` qualifies a counted noun before it ('three children from one
    family', 'two brothers in one house') instead of counting anything itself."""
    return _low(tokens, i - 1) in _MODIFIER_PREPS and _low(tokens, i - 2) in _COUNTED_OF


def _rejected(ctx: _Context, number: NumberSpan, dates: Sequence[DateRef]) -> bool:
    """Years, dates, ages, times, money, percentages, identifiers, compound adjectives, and
    zero: "zero casualties" states that nothing happened, which is no count to tally, rank
    or trace (and is mostly a party's denial); the dashboard lists counts of what happened."""
    if number.value == 0:
        return True
    tokens = ctx.tokens
    before, after = _low(tokens, number.first - 1), _low(tokens, number.last)
    if before in _REJECT_BEFORE or after in _UNIT_AFTER:
        return True
    if (_low(tokens, number.first - 2), before) in _EARLIER_VALUE:
        return True
    if before == "by" and _low(tokens, number.first - 2) in _CHANGE_VERBS:
        return True  # 'rose by 40,000 to 950,000': the change, not a count
    if (before in MONTHS or after in MONTHS) and number.value <= 31:
        return True
    if _modifies_noun(tokens, number.first):
        return True  # 'members of one family', 'children from one family': not a count
    if any(ref.start < number.end and number.start < ref.end for ref in dates):
        return True
    if (
        after in ("-", "‑")
        and number.last < len(tokens)
        and tokens[number.last].start == (tokens[number.last - 1].end)
    ):
        return True  # '12-year-old', '3-day'
    if after in ("per", "percent") or (after == "of" and number.value == 1 and _low(
        tokens, number.last + 1) not in ("them", "whom")):  # fmt: skip
        return True  # 'one of the'
    core = tokens[number.core]
    if core.kind == "num" and len(core.text) == 4 and 1900 <= number.value <= 2100:
        return not (number.last < len(tokens) and _is_head(tokens[number.last].low))
    return False


def _noun_run(ctx: _Context, start: int) -> tuple[int, int]:
    """Word tokens from `start` up to a stop word, punctuation, another number or 6 words."""
    tokens = ctx.tokens
    end = start
    while end < len(tokens) and end - start < 6:
        token = tokens[end]
        if token.kind != "word" or end in ctx.number_starts:
            break
        if token.low in _STOP and token.text != "IS":  # '31 IS militants': the acronym
            break
        end += 1
    return start, end


_ASIDE_CLOSE = {"(": ")", "[": "]"}


def _past_aside(tokens: list[Token], i: int) -> int | None:
    """The token after a short bracketed aside opening at `i`: '35 Daesh (outlawed in
    Russia) militants', '22 Red Crescent [SARC] volunteers'."""
    close = _ASIDE_CLOSE.get(_low(tokens, i))
    if close is None:
        return None
    for k in range(i + 1, min(len(tokens), i + 8)):
        if tokens[k].low == close:
            return k + 1
        if tokens[k].kind == "num" or tokens[k].low in _ASIDE_CLOSE:
            return None
    return None


def _named(head: Token, token: Token) -> bool:
    """A capitalised word after a lower-case head starts a new subject in copy with its commas
    stripped ('killed six people AFP reports', 'wounded 25 others Ibrahim Abu Leys told ...');
    after a capitalised head it is a title-case headline going on ('Kills 40 Syrian Army')."""
    if head.low in _PARTICIPLE_HEADS or head.low == "more" or _is_head(token.low):
        return False  # 'displaced Syrians', 'four more ISIS fighters': the phrase goes on
    return head.text[:1].islower() and token.text[:1].isupper()


def _may_follow_head(word: str) -> bool:
    if _is_head(word) and word not in _PARTICIPLE_HEADS:
        return False
    return (
        word in _VERBISH or word.endswith(("ed", "ing", "ly")) or _CUES.fullmatch(word) is not None
    )


def _phrase(ctx: _Context, number: NumberSpan) -> _Phrase | None:
    """The noun phrase after `number`; None when it names something that is not counted."""
    tokens = ctx.tokens
    j = number.last
    while _low(tokens, j) in _QUOTE_MARKS:
        j += 1  # '"dozens" of fighters'
    subcount = False
    if _low(tokens, j) == "of" and _low(tokens, j + 1) in ("them", "whom"):
        j, subcount = j + 2, True
        if _low(tokens, j) in ("were", "was") and _is_head(_low(tokens, j + 1)):
            j += 1  # 'two of whom were women'
        if _low(tokens, j) in ("a", "an") and _is_head(_low(tokens, j + 1)):
            j += 1  # 'one of them a child'
    elif _low(tokens, j) == "of" and number.vague:
        j += 1
    elif _low(tokens, j) == "of" and _low(tokens, j + 1) in _POSSESSIVES:
        j += 2  # '5 of its soldiers', '12 of his commanders'
    start, end = _noun_run(ctx, j)
    if start == end:
        return _Phrase(start, start, None, subcount)
    cut = _head_cut(ctx, start, end)
    resumed = _past_aside(tokens, end) if cut is None else None
    if resumed is not None:  # no head before '(...)': look after the aside
        cut = _head_cut(ctx, start, _noun_run(ctx, resumed)[1], resumed)
    if cut is not None:
        if _possessive(tokens, cut):
            return None  # "the 3 brothers' families": the count belongs to the owner
        return _Phrase(start, cut, tokens[cut - 1].low, subcount)
    if _CUES.fullmatch(tokens[start].low) or tokens[start].low in _VERBISH:
        return _Phrase(start, start, None, subcount)  # 'dozens were killed', 'ten died'
    return None


def _head_cut(ctx: _Context, start: int, end: int, first_cut: int = 0) -> int | None:
    """Where the noun phrase of the run `start`..`end` ends: after its head word."""
    tokens = ctx.tokens
    for cut in range(max(start, first_cut) + 1, end + 1):
        head, nxt = tokens[cut - 1], tokens[cut] if cut < len(tokens) else None
        if _is_head(head.low) and (
            cut == end
            or nxt is None
            or _may_follow_head(nxt.low)
            or _named(head, nxt)
            or _new_clause(tokens, cut, end)
        ):
            return cut
    return None


# Words that start a new clause or aside right after a head in copy with its commas stripped:
# 'killed 122 civilians he said', 'dozens of people many of them women'.
_CLAUSE_OPENERS = word_set("he she they we it i you many most some several none mostly mainly")
_REPORTING = word_set("said says say told reported report reports according")
_PLURAL_PEOPLE = word_set("people men women children")


def _new_clause(tokens: list[Token], cut: int, end: int) -> bool:
    """The head at `cut` - 1 ends its phrase: a clause opener follows, or a short subject and
    a reporting verb ('eight volunteers opposition activists said'). Only plural people heads:
    a singular one is often a modifier ('refugee camps officials said')."""
    head, nxt = tokens[cut - 1].low, tokens[cut].low
    if head not in _PEOPLE or not (head.endswith("s") or head in _PLURAL_PEOPLE):
        return False
    if nxt in _CLAUSE_OPENERS:
        return True
    return end - cut <= 3 and _low(tokens, end) in _REPORTING


def _possessive(tokens: list[Token], i: int) -> bool:
    """A possessive mark right after the head word ending at token `i` ("brothers'")."""
    return (
        i < len(tokens)
        and tokens[i].low in ("'", "’")
        and tokens[i].start == tokens[i - 1].end
        and _low(tokens, i + 1) not in ("", ",", ".")
    )


_SUBCOUNT_LAST_WORDS = frozenset(phrase[-1] for phrase in _SUBCOUNT_BEFORE)


def _is_subcount(tokens: list[Token], number: NumberSpan) -> bool:
    if _low(tokens, number.first - 1) not in _SUBCOUNT_LAST_WORDS:
        return False  # the common case: no phrase can end right before the number
    for phrase in _SUBCOUNT_BEFORE:
        k = number.first - len(phrase)
        if k >= 0 and tuple(t.low for t in tokens[k : number.first]) == phrase:
            return True
    return False


def _listed_after_cue(ctx: _Context, number: NumberSpan) -> CueName | None:
    """'Among the dead were 20 children', 'those killed included 11 people': the number is
    listed after the cue noun it belongs to."""
    tokens, j = ctx.tokens, number.first - 1
    if _low(tokens, j) not in _LISTING_VERBS:
        return None
    for k in range(j - 1, max(0, j - 8), -1):  # 'those killed in the two raids include 14 ...'
        if k in ctx.cues:
            return ctx.cues[k][0] if _low(tokens, k - 1) in ("the", "those") else None
        if tokens[k].kind == "punct" or tokens[k].low in _BARRIER_WORDS:
            return None
    return None


def _cue_before(ctx: _Context, number: NumberSpan, phrase: _Phrase) -> CueName | None:
    listed = _listed_after_cue(ctx, number)
    if listed is not None:
        return listed
    tokens = ctx.tokens
    i = _before_change(tokens, number.first - 1)
    fillers = 0
    while i >= 0 and tokens[i].low in _QUOTE_MARKS:
        i -= 1  # 'killing "50 terrorists"': a quotation opens between the cue and its count
    while i >= 0 and tokens[i].low in _FILLERS_BEFORE and fillers < 3 and i not in ctx.cues:
        i, fillers = i - 1, fillers + 1
    if i < 0:
        return None
    if i in ctx.cues and ctx.cues[i][1] <= tokens[number.first].start:
        return ctx.cues[i][0]
    for k in range(max(0, i - 3), i):  # multi-word cues ending just before: 'death toll'
        if k in ctx.cues and tokens[i].end <= ctx.cues[k][1] <= tokens[number.first].start:
            return ctx.cues[k][0]
    if tokens[i].low == "lost" and phrase.head in _PEOPLE:
        return "killed"  # 'Hezbollah lost nine fighters'
    if tokens[i].low == "and" and phrase.head is not None:
        listed = _cue_before_singular(ctx, i)
        if listed is not None:
            return listed
    return _toll_before(ctx, number)


def _before_change(tokens: list[Token], i: int) -> int:
    """'the number of displaced rose by 40,000 to 950,000': from 'to', past 'by 40,000' to the
    change verb (a filler like 'rose to'), so the cue before it governs the new value."""
    if _low(tokens, i) != "to":
        return i
    for j in range(i - 2, max(0, i - 5), -1):
        if tokens[j].low == "by" and _low(tokens, j - 1) in _CHANGE_VERBS:
            return j - 1
    return i


_NOT_IN_SINGULAR = (_STOP | _BARRIER_WORDS | {"them", "whom"}) - {"a", "an"}


def _cue_before_singular(ctx: _Context, and_at: int) -> CueName | None:
    """'killing a woman and nine children': a cue, a singular 'a/an' noun phrase and 'and'
    before the number. The singular is no figure; the count after it is the cue's."""
    tokens = ctx.tokens
    for k in range(and_at - 1, max(-1, and_at - 5), -1):
        low = tokens[k].low
        if tokens[k].kind != "word" or k in ctx.number_starts or low in _NOT_IN_SINGULAR:
            return None  # 'killed a woman among them and four others got injured'
        if tokens[k].low in ("a", "an"):
            cue = ctx.cues.get(k - 1)
            return cue[0] if cue is not None and k - 1 >= 0 else None
    return None


def _toll_before(ctx: _Context, number: NumberSpan) -> CueName | None:
    """'The death toll from a bomb blast outside Aleppo reached 112': a toll governs the next
    number of its clause."""
    tokens = ctx.tokens
    # 'raised the death toll from strikes on a market in a town ... to 61': a longer reach
    # when the number closes the phrase ('to', 'at').
    reach = _TOLL_WINDOW * 2 if _low(tokens, number.first - 1) in ("to", "at") else _TOLL_WINDOW
    for k in range(number.first - 1, max(-1, number.first - reach), -1):
        low = tokens[k].low
        if low == "toll":
            return "killed"
        if k in ctx.cues and _counted_before(tokens, k):
            return ctx.cues[k][0]  # 'the number of people displaced ... reached 900,000'
        if low in _BARRIER_PUNCT or low in _BARRIER_WORDS or low == ",":
            return None
        if k in ctx.number_starts and not _day_of_month(tokens, k):  # 'since 1 December'
            return None
    return None


def _day_of_month(tokens: list[Token], k: int) -> bool:
    return _low(tokens, k + 1) in MONTHS or _low(tokens, k - 1) in MONTHS


_LIFE_TAKERS = word_set("claimed claiming claims claim took taken taking cost costs costing")
_LIFE_SAVERS = word_set("saved saving saves save spared sparing")
_COUNT_NOUNS = word_set("number total tally count figure toll")


def _counted_before(tokens: list[Token], k: int) -> bool:
    """'the number of people displaced': a count noun a few words before the cue."""
    return any(tokens[j].low in _COUNT_NOUNS for j in range(max(0, k - 5), k))


def _counts_of_them(tokens: list[Token], i: int) -> bool:
    """', one of them a child,' / ', two of whom were women,': a sub-count aside."""
    return any(
        _low(tokens, k) == "of" and _low(tokens, k + 1) in ("them", "whom")
        for k in range(i + 1, min(len(tokens), i + 4))
    )


def _skip_parenthetical(tokens: list[Token], i: int, number_starts: Container[int]) -> int | None:
    """After a comma: skip ', including two children,' / ', most of them women,' / ', seven
    soldiers and a contractor,' (a breakdown of the count, in figures or in words)."""
    nxt = _low(tokens, i + 1)
    if (
        nxt not in ("including", "among", "most", "many", "mostly", "mainly", "all", "some")
        and i + 1 not in number_starts
        and not _counts_of_them(tokens, i + 1)
    ):
        return None
    for k in range(i + 1, min(len(tokens), i + 12)):
        if tokens[k].low == ",":
            return k + 1
    return None


def _cue_after(
    ctx: _Context, start: int, window: int, through_and: bool = True, counted: bool = True
) -> tuple[CueName, int] | None:
    """The first cue from token `start` within `window` tokens, stopping at clause barriers."""
    tokens = ctx.tokens
    i, seen = start, 0
    while i < len(tokens) and seen < window:
        if i in ctx.cues:
            return ctx.cues[i][0], i
        low = tokens[i].low
        if low == "including" and i + 1 in ctx.number_starts:
            i = _skip_counted(ctx, i + 1)
            continue
        if low == "of" and i == start:  # 'Twenty-two fighters of the factions and ...'
            i = max(i + 1, _of_complement_end(tokens, i - 1) + 1)  # always moves on
            continue
        if low == "among" and i + 1 in ctx.number_starts and counted:
            return _cue_of_total(ctx, i + 1)  # 'Two children among seven dead'
        if (
            low == "and"
            and not through_and
            and (_low(tokens, i + 1) not in _PEOPLE or i + 1 in ctx.cues)
        ):
            return None  # a sub-count's cue follows it directly, not after another conjunct
        if low == "and" and i + 1 in ctx.number_starts:
            i = _skip_counted(ctx, i + 1)  # '50 rebels and 40 troops were killed'
            if _low(tokens, i) in ("and", ","):
                return None  # '... and 15 women and injured 400': not this number's cue
            continue
        if low == "including":
            resumed = _after_inclusion(tokens, i)
            if resumed is None:
                return None
            i = resumed  # 'four citizens including a young girl were wounded'
            continue
        if low == ",":
            resumed = _skip_parenthetical(tokens, i, ctx.number_starts)
            if resumed is None:
                return None
            i = resumed
            continue
        if (
            low in _BARRIER_WORDS
            or low in _BARRIER_PUNCT
            or low == "including"
            or (i in ctx.number_starts and i != start and not _modifies_noun(tokens, i))
        ):
            return None
        i, seen = i + 1, seen + 1
    return None


_AUXILIARIES = word_set("were was have has had are is")


def _after_inclusion(tokens: list[Token], i: int) -> int | None:
    """After 'including a young girl': the auxiliary that resumes the clause, if near."""
    for k in range(i + 1, min(len(tokens), i + 7)):
        if tokens[k].low in _AUXILIARIES:
            return k
        if tokens[k].kind != "word":
            return None
    return None


def _cue_of_total(ctx: _Context, i: int) -> tuple[CueName, int] | None:
    """The cue right after the number starting at token `i` ('seven dead', '9 killed')."""
    for number in find_numbers(ctx.tokens[i : i + 8]):
        end = i + number.last
        for k in (end, end + 1):
            if k in ctx.cues:
                return ctx.cues[k][0], k
        return None
    return None


def _skip_counted(ctx: _Context, i: int) -> int:
    """Index after the number starting at `i` and its noun phrase ('four children')."""
    tokens = ctx.tokens
    for number in find_numbers(tokens[i : i + 8]):
        end = i + number.last
        _, run_end = _noun_run(ctx, end)
        return max(run_end, _of_complement_end(tokens, run_end - 1) + 1)  # '... of regime forces'
    return i + 1


def _previous(ctx: _Context) -> FigureDraft | None:
    return ctx.found[-1] if ctx.found else None


def _head_figure(ctx: _Context) -> FigureDraft | None:
    return ctx.heads[-1] if ctx.heads else None


def _joined_to_previous(ctx: _Context, number: NumberSpan) -> bool:
    """'seven soldiers and one contractor', 'against 928': continues the previous figure."""
    if not ctx.phrase_ends:
        return False
    gap = [t.low for t in ctx.tokens[ctx.phrase_ends[-1] : number.first]]
    if gap in (["and"], [","], ["as", "well", "as"]):
        return True
    before = [t.low for t in ctx.tokens[max(0, number.first - 2) : number.first]]
    return bool(before) and (before[-1] in _COMPARE or tuple(before) in _COMPARE_PAIRS)


def _joins_subcount(ctx: _Context, number: NumberSpan) -> bool:
    """'including 9 children and 4 women': the second number is a sub-count too."""
    previous = _previous(ctx)
    return (
        previous is not None
        and previous is not _head_figure(ctx)
        and _joined_to_previous(ctx, number)
    )


def _category(
    ctx: _Context, number: NumberSpan, phrase: _Phrase, subcount: bool
) -> tuple[FigureCategory | None, int]:
    """The category governing `number` and the token where its cue starts (or -1)."""
    cue, cue_token = _governing_cue(ctx, number, phrase, subcount)
    if cue is None:
        cue = _running_total_of_previous(ctx, number)
    if cue == "stranded":
        return None, -1  # '6 children still under the rubble': neither killed nor missing
    return cue, cue_token


# '..., bringing the total to 948,000': the running total of the figure just counted
_TOTAL_BEFORE = re.compile(
    r"\b(?:bringing|brings|brought|raising|raises|raised|taking|takes|took|pushing|pushes|pushed)"
    r"\s+(?:the|its|their)\s+(?:overall\s+|total\s+)?(?:total|tally|number|count|figure)"
    r"(?:\s+\w+){0,3}?\s+to\s+(?:(?:more\s+than|over|nearly|almost|about|around|some)\s+)?$",
    re.IGNORECASE,
)


def _running_total_of_previous(ctx: _Context, number: NumberSpan) -> CueName | None:
    previous = _previous(ctx)
    if previous is None or previous.category == "aid":
        return None
    if _TOTAL_BEFORE.search(ctx.text, max(0, number.start - 80), number.start) is None:
        return None
    return previous.category


def _governing_cue(
    ctx: _Context, number: NumberSpan, phrase: _Phrase, subcount: bool
) -> tuple[CueName | None, int]:
    if phrase.head is not None and (phrase.head in _AID or _singular(phrase.head) in _AID):
        return ("aid" if _AID_CONTEXT.search(ctx.text) is not None else None), -1
    if phrase.head == "lives" and _low(ctx.tokens, number.first - 1) in _LIFE_TAKERS:
        return "killed", number.first  # 'claimed hundreds of lives, wounded many others'
    if phrase.head == "lives" and _low(ctx.tokens, number.first - 1) in _LIFE_SAVERS:
        return None, -1  # 'saved 30 lives'
    bare = phrase.head is None or (
        phrase.head in _PARTICIPLE_HEADS and phrase.last - phrase.first == 1
    )
    if bare and number.last in ctx.cues:
        return ctx.cues[number.last][0], number.last  # headline style: '10 killed 40 injured'
    own = _of_them_cue(ctx, number)
    if own is not None:
        return own  # '4.1 million need aid, 2.8 million of them displaced'
    backward = _cue_before(ctx, number, phrase)
    if backward is not None:
        return backward, number.first
    window = _FORWARD_WINDOW if phrase.head is not None else _BARE_FORWARD_WINDOW
    forward = _cue_after(
        ctx, max(phrase.last, number.last), window, not subcount, phrase.head is not None
    )
    if forward is not None and not (forward[0] == "detained" and phrase.head is None):
        return forward
    if phrase.first < phrase.last - 1 and phrase.first in ctx.cues:
        return ctx.cues[phrase.first][0], -1  # '32 dead and 115 wounded persons': its own word
    head, previous = _head_figure(ctx), _previous(ctx)
    if subcount and head is not None:
        return head.category, -1
    if previous is not None and _joined_to_previous(ctx, number):
        return previous.category, -1
    return _intrinsic(ctx, phrase), -1


def _of_them_cue(ctx: _Context, number: NumberSpan) -> tuple[CueName, int] | None:
    """The cue right after 'N of them' / 'N of whom': the sub-count's own category."""
    k = number.last  # the token after the number
    if _low(ctx.tokens, k) != "of" or _low(ctx.tokens, k + 1) not in ("them", "whom"):
        return None
    for cue_at in (k + 2, k + 3):  # 'of them displaced', 'of them now displaced'
        if cue_at in ctx.cues:
            return ctx.cues[cue_at][0], cue_at
    return None


def _intrinsic(ctx: _Context, phrase: _Phrase) -> FigureCategory | None:
    for token in ctx.tokens[phrase.first : phrase.last]:
        if token.low in _INTRINSIC:
            return _INTRINSIC[token.low]
    return None


def _group(ctx: _Context, number: NumberSpan, phrase: _Phrase, subcount: bool) -> str:
    """The noun phrase as written; bare numbers and 'others' take the previous figure's."""
    previous = _head_figure(ctx) if subcount or phrase.head else _previous(ctx)
    if phrase.head in (None, "others", "more"):
        related = subcount or phrase.head is not None or _joined_to_previous(ctx, number)
        if previous is None or not related or previous.group in (None, "lives"):
            return "people"
        return previous.group or "people"
    words = ctx.tokens[phrase.first : phrase.last]
    words = [t for t in words if t.low not in ("other", "additional", "further")]
    if not words or (len(words) == 1 and words[0].low in _PARTICIPLE_HEADS):
        return "people"
    text = ctx.text[words[0].start : words[-1].end]
    return text.lower() if words[0].start == 0 and len(words) == 1 else text


def _nearest_place(ctx: _Context, position: int) -> str | None:
    """The place the figure's own clause names after it, else the nearest in the sentence
    (within its item, in a ' | '-separated list of key figures)."""
    start = ctx.text.rfind("|", 0, position) + 1
    stop = ctx.text.find("|", position)
    end = len(ctx.text) if stop < 0 else stop
    places = [p for p in ctx.places if start <= p.start and p.end <= end]
    if not places:
        return None
    for place in places:
        gap = ctx.text[position : place.start]
        if place.start >= position and not any(ch in gap for ch in ",;:"):
            return place.place
    best = min(places, key=lambda m: min(abs(m.start - position), abs(m.end - position)))
    return best.place


_REPORTING_WORDS = word_set("said says say told tells according claimed claims reported reports")


def _clause_clear(text: str, *, attacker: bool = False) -> bool:
    """Nothing between an actor and the cue that ends its clause ('Turkey says 31 militants
    killed': Turkey reports the deaths). An actor that heads an attack ('A Russian air strike
    on a market in Ariha killed 12') may be further from the cue."""
    words = text.split()
    return (
        not any(ch in text for ch in ";,:")
        and len(words) <= (_ATTACKER_WORDS if attacker else 5)
        and not any(w.lower() in _REPORTING_WORDS for w in words)
    )


_ATTACKER_WORDS = 12


def _heads_attack(text: str, actor: ActorRef) -> bool:
    """'Russian air strikes', 'a Syrian government attack', 'regime shelling'."""
    return (
        _ATTACK_AFTER.match(text, actor.end) is not None
        or _ATTACK_WORD.search(text, actor.start, actor.end) is not None
    )


# (marker, how far after the cue it may start): what follows names who did it
_AGENT_MARKERS = (
    (" by ", 60),
    (" blamed on ", 60),
    (" attributed to ", 60),
    (" carried out by ", 90),
    (" in ", 40),  # 'killed (and 5 wounded) in Russian air strikes' (only before an attack word)
)
# 'in the town held by IS', 'areas covered by the truce': not the agent of the killing
_NOT_AGENT_BEFORE_BY = word_set(
    """
    held controlled run backed supported led surrounded besieged encircled covered sponsored
    brokered mediated guaranteed monitored administered governed occupied
    """
)
_ATTACK_WORDS = (
    r"\b(?:air ?strikes?|strikes?|raids?|air ?raids?|shelling|bombardments?|bombs?|bombings?"
    r"|barrel|attacks?|rockets?|missiles?|artillery|fire|jets?|warplanes?|drones?|mortars?"
    r"|sniper|offensive|assault)\b"
)
_ATTACK_AFTER = re.compile(r"[\w\s'’-]{0,20}?" + _ATTACK_WORDS, re.IGNORECASE)
_ATTACK_WORD = re.compile(_ATTACK_WORDS, re.IGNORECASE)
# 'fifteen members of regime forces', '20 fighters of the factions': the side a counted group
# belongs to (not 'Units of the army killed ...': no count, the units are the subject)
_OF_BEFORE = re.compile(
    r"(?:\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\w+teen|\w+ty"
    r"|dozens|scores|hundreds|thousands))\S*\s+(?:[\w-]+\s+){0,2}?(?:members|fighters|soldiers"
    r"|elements|militants|troops|personnel|ranks|officers|men|combatants|cadres|gunmen)\s+of\s+"
    r"(?:the\s+)?$",
    re.IGNORECASE,
)
_HOLDING_SUFFIXES = ("-held", "-controlled", "‑held", "‑controlled")
_LOSS_CUES = word_set("lost losing loses lose")
_LOCATIVE_WORDS = word_set("in at on near around into inside outside toward towards against from")
_SUBJECT_WORDS = 8  # how far into the sentence a participle clause's subject may start


def _perpetrator(ctx: _Context, cue_token: int) -> str | None:
    """'killed by Syrian forces', 'an air raid blamed on Damascus', 'Russian air strikes
    killed ...', 'Turkish drones struck ..., killing dozens' -> the actor.

    An actor inside a counted group of the sentence ('34 Turkish troops died', 'two Turkish
    soldiers were killed and five wounded') is a victim.
    """
    if cue_token < 0 or not ctx.actors:
        return None
    cue_start = ctx.tokens[cue_token].start
    candidates = [
        a
        for a in ctx.actors
        if a.side not in _PERPETRATOR_EXCLUDED_SIDES
        and not any(start <= a.start < end for start, end in ctx.counted)
        and not a.surface.lower().endswith(_HOLDING_SUFFIXES)  # 'opposition-held Idlib'
        and _OF_BEFORE.search(ctx.text, max(0, a.start - 50), a.start) is None
    ]
    agent = _agent_after(ctx.text, cue_start, candidates)
    if agent is not None:
        return agent
    before = [a for a in candidates if a.end <= cue_start and _clause_clear(
        ctx.text[a.end : cue_start], attacker=_heads_attack(ctx.text, a))]  # fmt: skip
    if before and not _lost_by(ctx, before[-1]):
        return before[-1].actor
    return _participle_subject(ctx, ctx.counted[-1][0], candidates)


def _lost_by(ctx: _Context, actor: ActorRef) -> bool:
    """'Russia has so far lost 12 soldiers': the subject of 'lost' is the side that died."""
    upto = ctx.counted[-1][0]  # the group just counted (set before the actor is looked for)
    return any(w.lower() in _LOSS_CUES for w in ctx.text[actor.end : upto].split())


def _agent_after(text: str, cue_start: int, candidates: Sequence[ActorRef]) -> str | None:
    """'killed by Syrian forces', 'a raid blamed on Damascus', 'killed in regime air raids'."""
    for marker, window in _AGENT_MARKERS:
        at = text.find(marker, cue_start, cue_start + window)
        while at >= 0:
            agent = _agent_at(text, marker, at, candidates)
            if agent is not None:
                return agent
            at = text.find(marker, at + 1, cue_start + window)
    return None


def _agent_at(text: str, marker: str, at: int, candidates: Sequence[ActorRef]) -> str | None:
    if marker == " by " and _last_word(text[:at]) in _NOT_AGENT_BEFORE_BY:
        return None
    agent_from = at + len(marker)
    reach = 4 if marker == " in " else 25  # 'in a Russian raid', 'by the extremist IS'
    for actor in candidates:
        if not agent_from - 1 <= actor.start <= agent_from + reach:
            continue
        if (
            marker != " in "
            or _ATTACK_AFTER.match(text, actor.end)
            or _ATTACK_WORD.search(text, actor.start, actor.end)  # 'a Syrian government attack'
        ):
            return actor.actor
    return None


def _last_word(text: str) -> str:
    words = text.split()
    return words[-1].lower() if words else ""


def _participle_subject(
    ctx: _Context, counted_start: int, candidates: Sequence[ActorRef]
) -> str | None:
    """', killing dozens': the count follows a participle hung on the sentence's main clause,
    whose subject (an actor opening the sentence, not after a preposition) did it."""
    tokens = ctx.tokens
    k = next((i for i, t in enumerate(tokens) if t.start >= counted_start), len(tokens))
    verb = next((i for i in range(k - 1, max(k - 4, 0), -1) if tokens[i].low.endswith("ing")), 0)
    if verb < 1 or tokens[verb - 1].text != "," or not candidates:
        return None
    first = candidates[0]  # the subject is the sentence's first candidate actor, if any
    if first.start >= tokens[verb].start:
        return None
    opening = [t for t in tokens if t.end <= first.start]
    if len(opening) > _SUBJECT_WORDS or any(
        t.low in _LOCATIVE_WORDS or t.text == "," for t in opening
    ):
        return None
    return first.actor


def _figure_for(
    ctx: _Context, number: NumberSpan, dates: Sequence[DateRef]
) -> tuple[FigureDraft, _Phrase] | None:
    if _rejected(ctx, number, dates):
        return None
    phrase = _phrase(ctx, number)
    if phrase is None:
        return None
    subcount = phrase.subcount or _is_subcount(ctx.tokens, number) or _joins_subcount(ctx, number)
    category, cue_token = _category(ctx, number, phrase, subcount)
    if category is None or _share_of_total(ctx, number, phrase, category, cue_token):
        return None
    group = _group(ctx, number, phrase, subcount)
    ctx.counted.append(_counted_span(ctx, number, phrase))
    actor = _perpetrator(ctx, cue_token)
    head = _head_figure(ctx)
    if actor is None and subcount and head is not None and head.category == category:
        actor = head.actor  # 'seven civilians, including three children': same perpetrator
    place = _nearest_place(ctx, number.start)
    draft = FigureDraft(
        category, number.value, number.low, number.high, number.qualifier, group, place, actor,
        number.start, number.end,
    )  # fmt: skip
    if not subcount:
        ctx.heads.append(draft)
    return draft, phrase  # fmt: skip


def _counted_span(ctx: _Context, number: NumberSpan, phrase: _Phrase) -> tuple[int, int]:
    """The characters of the number and the noun phrase it counts, with its 'of' complement
    ('fifteen members of regime forces': the regime's men are the victims, not the killers)."""
    last = min(phrase.last, len(ctx.tokens)) - 1
    last = _of_complement_end(ctx.tokens, last)
    end = ctx.tokens[last].end if last >= 0 else number.end
    return number.start, max(number.end, end)


_OF_COMPLEMENT_STOPS = word_set(
    """
    were was are is have has had been be killed died dead wounded injured and or in on at by
    near during after before when while who which that as for from with
    """
)


def _of_complement_end(tokens: list[Token], last: int) -> int:
    """The last token of 'of the ...' after token `last` (up to six words), else `last`."""
    if last < 0 or _low(tokens, last + 1) != "of":
        return last
    end = last
    for k in range(last + 2, min(last + 8, len(tokens))):
        word = tokens[k].low
        if not word.replace("-", "").isalpha() or word in _OF_COMPLEMENT_STOPS:
            break
        end = k
    return end


def _share_of_total(
    ctx: _Context, number: NumberSpan, phrase: _Phrase, category: FigureCategory, cue: int
) -> bool:
    """'half of the 3 million people ... have been displaced': the number is the total the
    share is taken of (a population), and what happened is said of the share only. No figure:
    the text states no count of the displaced, and a computed 1.5 million would be a number
    nobody wrote, with no sentence to trace it to. A total that carries the category itself
    ('half of the 900,000 displaced are children') is still that figure."""
    tokens = ctx.tokens
    k = number.first - 1
    if _low(tokens, k) == "the":
        k -= 1
    share = _low(tokens, k - 1).rpartition("-")[2]  # 'two-thirds of', 'one-fifth of'
    if _low(tokens, k) != "of" or share not in _SHARE_WORDS:
        return False
    return _intrinsic(ctx, phrase) != category and not _cue_qualifies_total(tokens, phrase, cue)


def _cue_qualifies_total(tokens: list[Token], phrase: _Phrase, cue: int) -> bool:
    """The cue belongs to the total's own noun phrase: 'of the 50 people killed were ...',
    'of the 200 families who fled', not the predicate said of the share."""
    if cue <= phrase.last - 1:
        return False
    between = {t.low for t in tokens[phrase.last : cue]}
    if between & _RELATIVE_WORDS:
        return True
    if cue != phrase.last:
        return False
    return _low(tokens, cue + 1) in _FINITE_BE_HAVE or _low(tokens, cue) in _PASSIVE_PARTICIPLES


def find_figures(
    text: str,
    places: Sequence[PlaceRef] = (),
    actors: Sequence[ActorRef] = (),
    dates: Sequence[DateRef] = (),
) -> list[FigureDraft]:
    """Every humanitarian figure in one sentence. Mentions and dates are sentence-relative."""
    tokens = tokenize(text)
    numbers = find_numbers(tokens)
    if not numbers:
        return []
    starts = {n.first for n in numbers} | {n.core for n in numbers}
    ctx = _Context(text, tokens, _cue_map(text, tokens), starts, places, actors)
    for number in numbers:
        found = _figure_for(ctx, number, dates)
        if found is not None:
            draft, phrase = found
            ctx.found.append(draft)
            ctx.phrase_ends.append(phrase.last if phrase.head else number.last)
    return ctx.found
