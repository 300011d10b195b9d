"""Changes of control: who holds a place after a capture, a fall, a withdrawal or a repelled attack.

Verbs are matched in past forms ("captured", "fell to", "held off"), in nominalisations ("the
fall of X to Y", "Y's capture of X", "the recapture of X by Y") and in present or base forms
only right after their subject (headlines: "Rebels retake Saraqeb"). After that, modality and
negation before the verb in the same clause ("failed to", "would", "did not", "if"), denial
anywhere before it, a modal after a nominal ("the fall of X would ...") and a question mark
remove attempts, plans and hypotheticals.

Who holds the place afterwards depends on the construction:
- active ("regime forces captured X", "HTS drove militias out of X", "rebels held off an
  assault on X"): the subject head, i.e. the nearest fighting actor before the verb in its
  clause, skipping supporters ("backed by Russian air strikes", "Russian-backed", "with X's
  support"), anything inside a short parenthetical right before the verb, and taking the first
  of coordinated actors ("Turkish-backed factions and HTS fighters took");
- "X fell to Y", "lost X to Y", "X was captured by Y", "X were pushed out of Z by Y",
  "X came under the control of Y": Y;
- relative clauses ("X, which Y seized") and participles ("having seized X, Y ...", "two
  days after taking X"): the relative clause's or the sentence's subject;
- "Y lost X" or "Y withdrew from X" with no new holder named: no event ("Y withdrew from X
  and Z moved in / returned": Z);
- a passive without an agent ("after it was recaptured"): the main clause's subject;
- state reports of a recent change ("X has been under government control since Monday", "X is
  now under the control of Y", "X came under rebel control", "Y have been in control of X
  since 6 February"): the side named; a perfect "has been ... since D" counts only when D is a
  day at most ~a month before the article ("since 2012" is long-held), and "remained under",
  "is under" or "areas under government control" report no change;
- "entered" only for a side fighting for the place: not patrols, convoys, police, observers,
  aid or a purpose of deployment ("to reinforce", "to set up a post"), nor a foreign backer
  (Russia, Turkey, Iran, the US) unless the sentence also says it took or controls the place;
- "regained/restored their control of X" is a change, "their control of X" alone is not;
- a main-clause agentless passive ("X was retaken on Monday") takes the previous sentence's
  fighting subject when there is one, else stays unresolved (no event).
Common nouns name a side where no actor was matched: "the factions", "rebels", "insurgents"
(Syrian opposition), "the army", "troops", "soldiers", "the regime" (Syrian government).
"it", "the town", "the village" and "the city" stand for the last place mentioned; "they",
"its units" and "their fighters" for the sentence's subject, else the previous sentence's
subject (or holder), else its last fighting actor; "we" for the speaking fighting actor.

Each event takes the date of its own clause ("took it on 6 February, the factions retook it on
27 February"): a date after the verb before the next comma or "and", else one before it in the
clause, else the nearest date in a clause without a control verb of its own, else the
article's date. A coordinated object followed by its own date keeps it ("Khan Shaykhun last
August and Maarat al-Numan in January"). Month-only dates follow `core.extract.dates`.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from core.extract import ActorRef, PlaceRef, initial_grouped, lowered_for_matching, word_set
from core.extract.dates import OFFSET_COUNT, DateRef, date_near, offset_days

NON_COMBATANT_SIDES = frozenset(("humanitarian", "monitor", "media", "international"))

_LAST_FOLD: tuple[str, str | None] = ("", "")


def _lowered(text: str) -> str | None:
    """`text` lower-cased where case-sensitive twins of the IGNORECASE patterns find in it
    exactly what those find in `text` (see lowered_for_matching), else None. The last sentence's
    is kept, so every check on one sentence shares one lower-casing."""
    global _LAST_FOLD
    last = _LAST_FOLD
    if last[0] is text:
        return last[1]
    lowered = lowered_for_matching(text)
    _LAST_FOLD = (text, lowered)
    return lowered


class _Caseless:
    """An IGNORECASE pattern whose literals are all lower case, run as its case-sensitive twin
    on the lower-cased sentence when that is exact: same matches at the same offsets, 1.5-6x
    faster. Matches may then be on the lower-cased text: read offsets and group names from
    them, not the surface. `twin` may give the twin as a pattern of its own that matches the
    same on lower-cased text and scans faster (see initial_grouped)."""

    __slots__ = ("pattern", "twin")

    def __init__(self, pattern: re.Pattern[str], twin: str | None = None) -> None:
        self.pattern = pattern
        self.twin = re.compile(
            twin if twin is not None else pattern.pattern, pattern.flags & ~re.IGNORECASE
        )

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        lowered = _lowered(text)
        if lowered is None:
            return self.pattern.search(text, pos, endpos)
        return self.twin.search(lowered, pos, endpos)

    def search_in(self, text: str, start: int, end: int) -> re.Match[str] | None:
        """`search(text[start:end])`: the slice searched as a string of its own."""
        lowered = _lowered(text)
        if lowered is None:
            return self.pattern.search(text[start:end])
        return self.twin.search(lowered[start:end])

    def finditer(
        self, text: str, pos: int = 0, endpos: int = sys.maxsize
    ) -> Iterator[re.Match[str]]:
        lowered = _lowered(text)
        if lowered is None:
            return self.pattern.finditer(text, pos, endpos)
        return self.twin.finditer(lowered, pos, endpos)

    def on(self, text: str) -> re.Pattern[str]:
        """The pattern for strings cut from `text` by `search_in`/`sub_in` (lower-cased, and
        so read by the twin, exactly when the twin runs on `text`)."""
        return self.pattern if _lowered(text) is None else self.twin

    def sub_in(self, text: str, start: int, end: int) -> str:
        """`sub("", text[start:end])`, lower-cased where the twin ran."""
        lowered = _lowered(text)
        if lowered is None:
            return self.pattern.sub("", text[start:end])
        return self.twin.sub("", lowered[start:end])


_VERBS = re.compile(
    r"\b(?:"
    r"(?P<fell>(?:fell|fallen)\s+(?:in)?to(?:\s+the\s+hands\s+of)?"
    r"|falls\s+(?:in)?to|came\s+under\s+(?:the\s+)?(?:full\s+)?control\s+of"
    r"|(?:fell|fallen|falls)\s+(?:back\s+)?under\s+(?:the\s+)?(?:(?:full|complete|total)\s+)?"
    r"(?:[\w-]+\s+){0,2}?control(?:\s+of)?"
    r"|(?:handed|turned)\s+over\s+to|surrendered\s+to"
    r"|(?:back|returned)\s+(?:in|under|into|to)\s+(?:the\s+)?(?:(?:full|complete|total)\s+)?"
    r"(?:[\w-]+\s+){0,2}?(?:hands|control)(?:\s+of)?)"
    r"|(?P<state>(?:(?:has|have)\s+been|(?:is|are)\s+now|now|came)\s+under\s+(?:the\s+)?"
    r"(?:(?:full|complete|total)\s+)?(?:[\w-]+\s+){0,2}?control(?:\s+of)?"
    r"|(?:has|have)\s+been\s+in\s+(?:(?:full|complete|total)\s+)?control\s+(?:of|over)"
    r"|(?:(?:is|are)\s+now|now)\s+in\s+(?:the\s+)?hands\s+of)"
    r"|(?P<lost>(?:lost|losing)(?:\s+(?:full\s+)?control\s+(?:of|over))?)"
    r"|(?P<withdrew>withdr[eo]wn?\s+from|pulled\s+out\s+of|retreated\s+from)"
    r"|(?P<ousted>(?:pushed|drove|driven|forced|kicked|ousted|chased)(?:\s+[\w'-]+){0,4}?\s+out\s+of"
    r"|expelled(?:\s+[\w'-]+){0,4}?\s+from|expelling(?:\s+[\w'-]+){0,4}?\s+from"
    r"|(?P<from>(?:pushed|drove|driven|chased|forced|ousted)(?:\s+[\w'-]+){0,4}?\s+from))"
    r"|(?P<repelled>held\s+off|fought\s+off|repelled|repulsed|beat\s+back|beaten\s+back"
    r"|thwarted|foiled)"
    r"|(?P<nominal>(?:capture|recapture|seizure|takeover|fall|loss|liberation)\s+of)"
    r"|(?P<took>(?:captured|capturing|seized|seizing|recaptured|recapturing|retook|retaken"
    r"|retaking|regained|regaining|took|taken|taking|entered|entering|overran|overrun"
    r"|liberated|liberating|secured|wrested|wresting|gained|assumed"
    r"|cleared|clearing|stormed(?:\s+into)?|storming(?:\s+into)?|swept\s+into|sweeping\s+into"
    r"|marched\s+into|rolled\s+into"
    r"|restored?\s+(?:(?:its|their)\s+)?(?:(?:full|complete|total)\s+)?"
    r"(?:security|stability|security\s+and\s+stability|order|control)"
    r"\s+(?:to|in|over|of)"
    r"|(?:now|fully)\s+in\s+(?:full\s+|complete\s+|total\s+)?control\s+of|fully\s+controll?ed"
    r"|captures?|seizes?|recaptures?|retakes?|regains?|takes?|enters?|overruns?|liberates?)"
    r"(?:\s+(?:back|over))?(?:\s+(?:its|their)(?:\s+(?:full|complete|total))?\s+control"
    r"\s+(?:of|over)|(?:\s+(?:full|complete|total))?(?:\s+control\s+(?:of|over))?))"
    r")\b",
    re.IGNORECASE,
)
_LEMMAS = {
    "captured": "captured", "capturing": "captured", "seized": "seized", "seizing": "seized",
    "recaptured": "recaptured", "recapturing": "recaptured", "retook": "retook",
    "retaken": "retook", "retaking": "retook", "regained": "regained", "regaining": "regained",
    "took": "took", "taken": "took", "taking": "took", "entered": "entered",
    "entering": "entered", "overran": "overran", "overrun": "overran",
    "liberated": "captured", "liberating": "captured", "secured": "captured",
    "restored": "captured", "restore": "captured", "now": "took control of",
    "fully": "took control of",
    "wrested": "took", "wresting": "took", "gained": "took", "assumed": "took",
    "stormed": "entered", "storming": "entered", "swept": "entered", "sweeping": "entered",
    "marched": "entered", "rolled": "entered",
    "capture": "captured", "captures": "captured", "seize": "seized", "seizes": "seized",
    "recapture": "recaptured", "recaptures": "recaptured", "retake": "retook",
    "retakes": "retook", "regain": "regained", "regains": "regained", "take": "took",
    "takes": "took", "enter": "entered", "enters": "entered", "overruns": "overran",
    "liberate": "captured", "liberates": "captured", "cleared": "captured",
    "clearing": "captured",
}  # fmt: skip
# Base and present forms ('Rebels retake Saraqeb', a headline) count only right after their
# subject; after 'to', a modal or 'will' they are plans, and the hedge check drops them.
_BASE_FORMS = word_set(
    """
    capture captures seize seizes recapture recaptures retake retakes regain regains take
    takes enter enters overruns liberate liberates restore
    """
)
# 'secured', 'gained', 'assumed', 'wrested' take places only with 'control': 'secured the
# release of', 'gained ground near X' are not captures.
_STATE_WORDS = word_set("now fully")
_CONTROL_ONLY = word_set("gained assumed wrested wresting")
_NEGATED_WORDS = (  # '|'-separated
    r"failed|fail|fails|tried|tries|try|trying|attempt\w*|aims?|aiming|aimed|plans?|planned"
    r"|planning|wants?|wanted|seeks?|seeking|sought|vow\w*|threat\w*|pledged?|expected|set"
    r"|about|poised|bid|struggle\w*|prepar\w*|ready|push|hopes?|hoped|hoping|intends?|intended"
    r"|could|would|will|(?<!\d\s)may(?!\s+\d)|might|should|must|can|cannot|shall|if|unless|whether"
    r"|not|never|no|didn't|hasn't|haven't|hadn't|wasn't|weren't|won't|wouldn't|couldn't"
    r"|reportedly|claim\w*|rumou?r\w*|barred|prevent\w*|stopped|blocked|unable|imminent"
    r"|fear\w*|avert\w*|risk\w*"
)
_NEGATED_AFTER = r"\b(?!\s+(?:days?|weeks?|hours?)\b)"
_NEGATED = re.compile(rf"\b(?:{_NEGATED_WORDS}){_NEGATED_AFTER}", re.IGNORECASE)
_DENIED_WORDS = [r"den(?:y|ied|ies|ying)", r"dismiss\w*", "rejected", "refuted", "false"]
_DENIED = re.compile(rf"\b(?:{'|'.join(_DENIED_WORDS)})\b", re.I)
_CLAUSE_BREAK = re.compile(
    r"[;:]|,\s+(?:and|but|while|as|after|before|when)\b|\b(?:but|while|whereas|after|before"
    r"|when|since|although|though|as)\b",
    re.IGNORECASE,
)
_PASSIVE_AUX = re.compile(r"\b(?:was|were|is|are|been|being|be)\s+(?:\w+ly\s+)?$", re.I)
# 'it', 'the town', 'the ancient city', 'the border town' (not 'the nearby village': another
# one, nor 'the Christian town border town of Kasab': a noun phrase that goes on).
_PLACE_ANAPHOR = (
    r"(?:it|the\s+(?:town|village|city|area|district)"
    r"|the\s+(?!(?:nearby|neighbou?ring|adjacent|next|other|last|first|second|third)\b)[\w-]+\s+"
    r"(?:town|village|city)(?=\s*(?:[,.;:]|$)|\s+(?:on|in|at|by|from|after|before|and|last|this"
    r"|early|late|overnight|yesterday|today|with|for|since|as|when|while|under|following|amid|to"
    r"|once|again|back)\b))"
)
_PRONOUN_PLACE = re.compile(rf"^\s*{_PLACE_ANAPHOR}\b(?!\s+of\b)", re.I)
_GERUND = re.compile(r"\w+ing\b", re.I)
_PARTICIPLE_INTRO = re.compile(r"\b(?:after|before|since|while|when|upon|following|by)\s*$", re.I)
_REPORTING = re.compile(
    r"\b(?:said|says|say|told|reported|reports|announced|confirmed|claimed|added|warned)\b", re.I
)
_SUBJECT_GAP = 12  # words between a subject and its verb, at most
_SUPPORTER = re.compile(
    r"(?:backed\s+by|supported\s+by|aided\s+by|with\s+the\s+help\s+of|with|alongside|allied\s+"
    r"(?:to|with)|helped\s+by|against|from|fighting|battling|attacking|targeting)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
# 'Troops backed by pro-regime militiamen and Hezbollah captured ...': every actor inside the
# 'backed by' phrase is a supporter, however long the phrase.
_BACKING = re.compile(
    r"\b(?:backed|supported|aided|helped|assisted)\s+by\b[^,;:]*$|\bwith\s+the\s+help\s+of\b[^,;:]*$",
    re.IGNORECASE,
)
_MOVED_IN = re.compile(
    r"\b(?:moved\s+in|entered|re-?entered|returned|took\s+over|took\s+control|deployed|marched\s+in"
    r"|rolled\s+in)",
    re.I,
)
_OBJECT_FILLERS = word_set(
    """
    the a an of its back full complete total control over most much part parts all whole rest
    remaining last key strategic strategically important nearby border main major rebel-held
    government-held regime-held opposition-held jihadist-held militant-held besieged town
    village city district area neighbourhood neighborhood suburb suburbs hill hilltop airbase
    base crossing highway road region countryside northern southern eastern western
    central rebel-controlled government-controlled regime-controlled
    opposition-controlled nearby small large second third largest biggest villages towns
    """
)
# 'the ancient city of Palmyra', 'the Kurdish-held border town of': a place named by its noun.
_NAMED_BY_NOUN = re.compile(
    r"^\s*(?:the\s+)?(?:(?!of\b)[\w-]+\s+){0,3}(?:town|city|village|district)s?\s+of\s+$", re.I
)
# 'took Khan Shaykhun last August and Maarat al-Numan in January': a time phrase may close
# each conjunct.
_COORDINATION = re.compile(
    r"^\s*(?:(?:in|on|last|this|early|late|mid|earlier\s+this)[\s-]+[\w-]+(?:\s+\d{4})?\s*)?"
    r"(?:,|,?\s+and|,?\s+as\s+well\s+as)?\s+(?:the\s+(?:town|village|city|district)s?\s+of\s+)?$",
    re.I,
)
# 'captured Kafr Nabl, Hass and Kafr Sajna' where the gazetteer lacks Hass: a capitalised name
# in a list of places is one more conjunct (case-sensitive: names are capitalised).
_NAME = r"(?:(?:al|el|as|ash|ad|ar|at|az|an)-)?[A-Z][\w'’-]*"
_UNKNOWN_CONJUNCT = re.compile(
    rf"^\s*(?:,|,?\s+and)\s+{_NAME}(?:\s+{_NAME}){{0,2}},?\s+and\s+$|"
    rf"^\s*(?:,|,?\s+and)\s+{_NAME}(?:\s+{_NAME}){{0,2}},\s+$"
)
_UNKNOWN_FIRST = re.compile(
    rf"^\s+(?:the\s+(?:villages|towns)\s+of\s+)?{_NAME}(?:\s+{_NAME}){{0,2}}(?:,|,?\s+and)\s+$"
)
# 'captured 12 villages and the town of Kafr Nabl': a counted, unnamed first conjunct.
_UNNAMED_CONJUNCT = re.compile(
    r"^\s*(?:[\w-]+\s+){0,3}?(?:villages|towns|hills|hilltops|positions|areas|localities"
    r"|farms|neighbou?rhoods)\s*(?:,|,?\s+and|,?\s+as\s+well\s+as)\s+"
    r"(?:the\s+(?:town|village|city|district)\s+of\s+)?$",
    re.I,
)
_ADJECTIVAL = re.compile(
    r"\s+(?:town|city|village|district|area|countryside|province|governorate|region)\s+of\b", re.I
)
_AUX_TAIL = re.compile(
    r"(?:\s+(?:was|were|is|are|has|have|had|been|being|be|already|then|also|reportedly|again"
    r"|finally|now|fully|completely|just))+\s*$",
    re.I,
)
_PRONOUN_TAIL = re.compile(rf"\b{_PLACE_ANAPHOR}\s*$", re.I)
_PERSON_PRONOUN_TAIL = re.compile(
    r"\b(?P<p>we|they|it|he|she|(?P<own>its|their|his|our)\s+(?:own\s+)?(?:units|forces|troops"
    r"|fighters|men|soldiers|allies))\s*$",
    re.I,
)
_ATTRIBUTION_VERB = re.compile(r"\b(?:said|says|told|added|according\s+to)\b", re.I)
_QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”")
_OFFSET_AFTER = re.compile(rf"\b{OFFSET_COUNT}\s+(?:[\w-]+\s+){{0,3}}$", re.IGNORECASE)
_NOMINAL_LEMMAS = {
    "capture": "captured", "recapture": "recaptured", "seizure": "seized", "takeover": "took",
    "fall": "fell to", "loss": "lost", "liberation": "captured",
}  # fmt: skip
_ASSAULT_WINDOW = 120
_PLACE_NOUNS = word_set("town city village district area countryside province")
_ATTACK_WORDS = word_set(
    """
    on into against storm storming attack attacking assault towards toward in at enter
    entering infiltrate infiltrating overrun retake recapture capture seize take
    """
)
_NON_PLACE_NOUNS = re.compile(
    r"\b(?:base|airbase|airport|district|neighbou?rhood|checkpoint|enclave|hill|positions?|post"
    r"|station|field|plant|dam|facility|road|highway|camp|prison|school|hospital|building)\b",
    re.IGNORECASE,
)
_HOLDER_WINDOW = 90


# Nouns that name a side without a proper name: 'the factions retook it', 'troops entered'.
# They stand in for an actor only where the profile's matcher found none at that spot, and
# not right after one ('Turkish troops' is Turkey's).
_GENERIC = re.compile(
    r"\b(?:(?P<opposition>rebels?|(?:armed\s+)?factions?|insurgents|opposition)"
    r"|(?P<government>army|troops|soldiers|government|regime)"
    r"|(?P<anaphor>the\s+same\s+(?:coalition|alliance|group|forces|fighters|militants|factions?"
    r"|militias?))|(?P<jihadi>the\s+(?:jihadists|militants|extremists))"
    r"|(?P<allies>the\s+(?:two\s+)?allies))\b(?![-‑])",
    re.IGNORECASE,
)
# The twin, grouped by first letter (see initial_grouped) with each alternative's kind as an
# empty group after it, named kind_letter (a name is used once): same matches, and the same
# kind before the '_' of `lastgroup`; the alternatives in the pattern's order within a letter.
_GENERIC_KINDS = [
    (r"rebels?", "opposition"), (r"armed\s+factions?", "opposition"),
    (r"factions?", "opposition"), (r"insurgents", "opposition"), (r"opposition", "opposition"),
    (r"army", "government"), (r"troops", "government"), (r"soldiers", "government"),
    (r"government", "government"), (r"regime", "government"),
    (r"the\s+same\s+(?:coalition|alliance|group|forces|fighters|militants|factions?|militias?)",
     "anaphor"),
    (r"the\s+(?:jihadists|militants|extremists)", "jihadi"),
    (r"the\s+(?:two\s+)?allies", "allies"),
]  # fmt: skip


def _generic_twin() -> str:
    by_first: dict[str, list[str]] = {}
    for alternative, kind in _GENERIC_KINDS:
        first = alternative[0]
        by_first.setdefault(first, []).append(f"{alternative[1:]}(?P<{kind}_{first}>)")
    branches = (f"{first}(?<!\\w.)(?:{'|'.join(rests)})" for first, rests in by_first.items())
    return f"(?:{'|'.join(branches)})\\b(?![-‑])"


_GENERIC_CI = _Caseless(_GENERIC, _generic_twin())
_GENERIC_ACTORS = {
    "opposition": ("Syrian opposition", "opposition"),
    "government": ("Syrian government", "government"),
}
# 'Russian-backed troops': the adjective names a supporter, the noun after it the subject.
_MODIFIER = re.compile(r"[-‑](?:backed|supported|sponsored|allied|aligned)\b", re.I)
_CONJUNCT_GAP = re.compile(
    r"^\s*(?:,|,?\s*and|,?\s*as\s+well\s+as)\s+(?:the\s+)?"
    r"(?:(?:fighters|members|militants|units|forces)\s+(?:of|from)\s+(?:the\s+)?)?$",
    re.IGNORECASE,
)
_POSSESSIVE_GAP = re.compile(r"^(?:'s|’s|'|’)\s+(?:[\w-]+\s+){0,2}$")
_BY_AGENT = re.compile(r"\s*,?\s+by\b", re.IGNORECASE)
_TO_HOLDER = re.compile(r"\s+(?:again\s+)?to\b", re.IGNORECASE)
# 'Taftanaz, which the rebels seized', 'Qaryatain in Homs province which regime forces took'.
_RELATIVE_GAP = re.compile(
    r"^(?:\s+(?:in|near|on|at|last|this|early|late|earlier|overnight|yesterday)\b"
    r"(?:\s+[\w'’-]+){0,3}?)?\s*,?\s*(?:which|that)\s+"
    r"(?:[\w'’-]+\s+){0,5}$",
    re.IGNORECASE,
)
_MOVEMENT = re.compile(
    r"\s*,?\s*(?:through|towards?|across|along|past|up\s+to|as\s+far\s+as"
    r"|to\s+(?:the\s+)?(?:outskirts|edge|gates|doorstep|front|border|brink|verge))\b",
    re.IGNORECASE,
)
_HAVING = re.compile(r"(?:^|\b)(?:having|after|upon|following)\s*$", re.IGNORECASE)
# A place after a preposition modifies a noun ('the headquarters inside Manbij', 'Zarbah on the
# M5 south of Aleppo') and is not the subject of the verb that follows.
_HANGS = re.compile(
    r"\b(?:in|inside|near|outside|around|at|on|from|into|towards?|through|via|beyond|behind"
    r"|(?:north|south|east|west)(?:-?(?:east|west))?\s+of|(?:outskirts|edge|gates)\s+of)"
    r"\s+(?:the\s+)?$",
    re.I,
)
_RELATIVE_TAIL = re.compile(r"^\s*,?\s*(?:which|that)\b", re.I)
# 'Jisr al-Shughour long a regime bastion in western Idlib was overrun': an apposition without
# commas (wire text with its punctuation stripped).
_APPOSITION = re.compile(
    r"^\s+(?:once|long|formerly|previously|until\s+recently|a|an|the|home\s+to)\s[^,;:]*$", re.I
)
_PLACE_AND = re.compile(r"^\s*(?:,|,?\s+and|,?\s+as\s+well\s+as)\s+$", re.I)
_SECOND_OF_PAIR = re.compile(
    r"\b(?:between\s+[\w'’ -]{1,40}\s+and|from\s+[\w'’ -]{1,40}\s+to)\s+$", re.I
)
_AROUND = re.compile(
    r"\b(?:around|near|outside|north|south|east|west|inside|areas?\s+(?:of|in))\s+$"
    # a reference point: 'the village of Rityan north of second city Aleppo, which ...'
    r"|\b(?:north|south|east|west)(?:[- ]?(?:east|west))?\s+of\s+(?:[\w'’-]+\s+){0,3}$",
    re.I,
)
# 'the liberated parts of', 'its newly captured positions': a participle used as an adjective.
_ADJECTIVE_SLOT = re.compile(
    r"\b(?:the|a|an|its|their|his|her|our|newly|recently|previously|already|once|formerly)\s+$",
    re.I,
)
_FROM_SOON = re.compile(r"(?:\s+[\w'’-]+){1,4}?\s+from\b", re.I)
_MODAL_AFTER = re.compile(
    r"[^,;:.]{0,60}?\b(?:would|could|will|may|might|can|cannot|threatens?|risks?)\b", re.I
)
# A relative clause starts a new scope for hedges ('failed to retake X, which they lost to Y');
# in text stripped of commas 'which' and 'who' still open one ('an attempt to seize it from IS
# which took Manbij in 2014').
_RELATIVE_START = re.compile(r",\s*(?:which|who|that|where)\b|\b(?:which|who)\b", re.I)
_PERFECT = re.compile(r"\b(?:had|has|have|having)\s+(?:[\w-]+\s+)?$", re.I)
# 'took swathes of territory, including X', 'the areas it has captured since December,
# including X': the named places inside an unnamed object.
_INCLUDING = re.compile(
    r"(?:(?:\s+(?:back|over))?(?:\s+[\w-]+){0,4}?\s+(?:territory|towns|villages|areas|ground"
    r"|land|localities|swathes|parts)(?:\s+of\s+[\w-]+(?:\s+[\w-]+)?)?"
    r"|\s+(?:since|in|during|over|this|last)\s+[\w-]+(?:\s+[\w-]+)?)\s*,?\s+including\b",
    re.IGNORECASE,
)
# 'captured scores of towns, including X, Y and Z': a tally of a campaign, not one day's change
_MANY = re.compile(
    r"\b(?:scores|dozens|hundreds|swathes|swaths|large\s+parts|much|most|more\s+than\s+\d+"
    r"|over\s+\d+|\d{2,})\b",
    re.IGNORECASE,
)


def _tally(text: str, verb_end: int) -> bool:
    """The verb's object is many places, then some of them by name (see `_MANY`)."""
    including = _INCLUDING.match(text, verb_end)
    return including is not None and _MANY.search(text, verb_end, including.end()) is not None


# 'managed to retake X', 'managing to advance and seize control of X': achieved
_MANAGED = re.compile(
    r"\b(?:managed|managing|manages|succeeded\s+in|were\s+able|was\s+able)\s+(?:to\s+)?"
    r"(?:[\w-]+\s+and\s+)?$",
    re.I,
)
# 'regime forces and loyal militias regain ...': a short coordinated noun phrase as subject.
_COORDINATED_TAIL = re.compile(r"\s+and\s+(?:[\w-]+\s+){1,3}$", re.I)
# Date clauses: 'entered X ... since being defeated there in March', 'recaptured X which regime
# forces took in April 2016': the date after 'since' or 'which' is another clause's.
_SEGMENT_BREAK = re.compile(
    r"[,;:]|\b(?:and|but|while|whereas|since|after|before|until|which|who|where)\b", re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class _Generic:
    """A side named by a common noun ('the factions'), standing in for an actor mention."""

    actor: str
    side: str
    surface: str
    start: int
    end: int


def _with_generics(
    text: str, actors: Sequence[ActorRef], ctx: EventContext | None = None
) -> list[ActorRef]:
    """The actors plus sides named by common nouns ('the factions', 'troops') and by anaphors
    ('the same coalition', 'the jihadists': the nearest such actor before, else the previous
    sentence's subject)."""
    found: list[ActorRef] = list(actors)
    for match in _GENERIC_CI.finditer(text):
        start, end = match.span()
        if any(a.start < end and start < a.end for a in actors):
            continue
        before = [a for a in actors if a.end <= start]
        if before and not text[before[-1].end : start].strip(" -‑"):
            continue  # 'Turkish troops', 'Kurdish fighters'
        kind = (match.lastgroup or "government").partition("_")[0]  # see _generic_twin
        if kind in _GENERIC_ACTORS:
            actor, side = _GENERIC_ACTORS[kind]
        else:
            referent = _anaphor_referent(kind, [a for a in found if a.end <= start], ctx)
            if referent is None:
                continue
            actor, side = referent.actor, referent.side
        found.append(_Generic(actor, side, text[start:end], start, end))
    return sorted(found, key=lambda a: a.start)


def _anaphor_referent(
    kind: str, before: Sequence[ActorRef], ctx: EventContext | None
) -> ActorRef | None:
    if kind == "allies":
        earlier = ctx.previous_fighters() if ctx is not None else []
        return _allied_referent([*earlier, *before])
    return _referent(kind, before, ctx.previous_subject() if ctx is not None else None)


def _referent(kind: str, before: Sequence[ActorRef], previous: ActorRef | None) -> ActorRef | None:
    """What 'the same group' (any fighting side) or 'the jihadists' (a jihadist one) refers to."""
    candidates = [*([previous] if previous else []), *sorted(before, key=lambda a: a.start)]
    fitting = [a for a in _combatants(candidates) if kind == "anaphor" or a.side == "jihadist"]
    return fitting[-1] if fitting else None


# Sides that fight beside a local one in another's country (air power, advisers, militias):
# of allies who took a place, the local side holds it.
_BACKER_SIDES = frozenset({"russia", "iran", "turkey", "us_coalition"})


def _allied_referent(candidates: Sequence[ActorRef]) -> ActorRef | None:
    """What 'the allies' stands for where it takes a place: the local side among the fighting
    actors just named ('Russian warplanes ... the Syrian regime ... the allies took the M5':
    the government holds the road), else the last of them."""
    fighting = _combatants(candidates)
    local = [a for a in fighting if a.side not in _BACKER_SIDES]
    if local and len({a.side for a in fighting}) > 1:
        return local[-1]
    return fighting[-1] if fighting else None


@dataclass(frozen=True, slots=True)
class EventDraft:
    """A change of control found in one sentence."""

    place: str
    actor: str | None
    side: str | None
    verb: str
    date: date | None
    position: int


class EventContext:
    """What earlier sentences said, for 'it', 'the town', 'they' and agentless passives.

    The caller reports every sentence to `observe` once it is read (its settlements and fighting
    actors, with document offsets). `subject` is the grammatical subject of the sentence read
    last: the one `find_events` determined for a sentence with control verbs, else the first
    fighting actor (or side-naming noun) of that sentence, worked out only when asked for."""

    __slots__ = (
        *("_fresh", "_fighters", "_last_actor", "_pending", "_subject", "_topic", "last_place"),
    )

    def __init__(self, last_place: str | None = None, last_actor: ActorRef | None = None) -> None:
        self.last_place = last_place
        self._last_actor = last_actor
        self._subject: ActorRef | None = None
        self._pending: tuple[str, int, Sequence[ActorRef]] | None = None
        self._fresh = False
        self._topic: str | None = None
        self._fighters: list[ActorRef] = []

    @property
    def last_actor(self) -> ActorRef | None:
        return self._last_actor

    @property
    def subject(self) -> ActorRef | None:
        if self._pending is not None:
            text, offset, fighters = self._pending
            self._pending = None
            local = [
                _Generic(a.actor, a.side, a.surface, a.start - offset, a.end - offset)
                for a in fighters
            ]
            self._subject = _sentence_subject(text, _with_generics(text, local), len(text))
        return self._subject

    def previous_subject(self) -> ActorRef | None:
        return self.subject or self._last_actor

    def previous_fighters(self) -> list[ActorRef]:
        """The fighting actors the sentence read last named (offsets are that sentence's)."""
        return self._fighters

    def set_subject(self, actor: ActorRef | None) -> None:
        self._subject, self._fresh, self._pending = actor, actor is not None, None

    def set_topic(self, place: str | None) -> None:
        """A place this sentence's event reached through 'it' or 'the town' stays the topic."""
        self._topic = place

    def observe(
        self, text: str, offset: int, settlements: Sequence[PlaceRef], fighters: Sequence[ActorRef]
    ) -> None:
        """Move past one sentence: its topic place, its last fighting actor, its subject."""
        if self._topic is not None or settlements:
            # The first settlement is the sentence's topic; "it" in the next one means that.
            self.last_place = self._topic or settlements[0].place
        self._topic = None
        if fighters:
            self._last_actor = fighters[-1]
        self._fighters = list(fighters)
        if not self._fresh:  # no subject found by `find_events`: this sentence's, when asked
            self._subject, self._pending = None, (text, offset, fighters)
        self._fresh = False


VERB_WORDS = word_set(
    """
    fell fallen came lost withdrew withdrawn pulled retreated pushed drove driven forced kicked
    ousted chased expelled expelling held fought repelled repulsed beat beaten thwarted foiled
    captured capturing seized seizing recaptured recapturing retook retaken retaking regained
    regaining took taken taking entered entering overran overrun liberated liberating
    secured wrested wresting gained assumed restored restore captures seize seizes recapture
    recaptures retake retakes regain regains take takes enter enters overruns liberate liberates
    capture recapture seizure takeover fall loss liberation falls handed turned losing
    surrendered cleared clearing back returned stormed storming swept sweeping marched rolled
    """
)


def might_have_events(words: frozenset[str] | set[str]) -> bool:
    """Cheap prefilter on a sentence's lowercased words: a control verb occurs."""
    if not VERB_WORDS.isdisjoint(words):
        return True
    if "control" in words or "hands" in words:  # 'now in control of', 'now in the hands of'
        return not _STATE_TRIGGERS.isdisjoint(words)
    return False


# 'has been under rebel control since Monday', 'is now under the control of', 'came under
# government control': a report of a recent change, read by `_state`.
_STATE_TRIGGERS = _STATE_WORDS | word_set("has have is are came")
_TRIGGERS = VERB_WORDS | _STATE_TRIGGERS


def _lemma(match: re.Match[str]) -> str:
    kind = match.lastgroup or ""
    words = match.group(0).casefold().split()
    if kind == "took":
        base = _LEMMAS.get(words[0], words[0])
        return f"{base} control of" if "control" in words and base == "took" else base
    if kind == "repelled":
        return " ".join(words[:2]) if len(words) > 1 else words[0]
    if kind == "state":
        return "fell to" if "under" in words or "hands" in words else "took control of"
    if kind == "nominal":
        return _NOMINAL_LEMMAS.get(words[0], "captured")
    names = {"fell": "fell to", "lost": "lost", "withdrew": "withdrew from", "ousted": "pushed out"}
    return names.get(kind, words[0])


def _clause_start(text: str, position: int) -> int:
    start = 0
    for match in _CLAUSE_BREAK_CI.finditer(text, 0, position):
        start = match.end()
    return start


_CLAUSE_BREAK_WORDS = "but while whereas after before when since although though as"
# Their twins for lower-cased text, grouped by first letter (same matches, faster scans).
_CLAUSE_BREAK_CI = _Caseless(
    _CLAUSE_BREAK,
    r"[;:]|,\s+(?:and|but|while|as|after|before|when)\b|"
    + initial_grouped(_CLAUSE_BREAK_WORDS.split()),
)
_RELATIVE_START_CI = _Caseless(
    _RELATIVE_START, r",\s*(?:which|who|that|where)\b|" + initial_grouped(["which", "who"])
)
_NEGATED_CI = _Caseless(
    _NEGATED,
    initial_grouped(
        # 'may' opens with its look-behind: after its letter, that looks one further back
        _NEGATED_WORDS.replace(r"(?<!\d\s)may", r"m(?<!\d\s.)ay").split("|"),
        after=_NEGATED_AFTER,
    ),
)
_DENIED_CI = _Caseless(_DENIED, initial_grouped(_DENIED_WORDS))


def _is_hedged(text: str, verb_start: int) -> bool:
    start = _clause_start(text, verb_start)
    for relative in _RELATIVE_START_CI.finditer(text, start, verb_start):
        start = relative.end()  # 'failed to retake X, which they lost to Y': Y's loss is real
    window_start = max(start, verb_start - 60)  # the clause's last 60 characters
    return (
        _NEGATED_CI.search_in(text, window_start, verb_start) is not None
        or _DENIED_CI.search(text, 0, verb_start) is not None
        or _DENIED_LATER.search(text, verb_start, _clause_chain_end(text, verb_start)) is not None
        or _STILL_HELD.search(text, verb_start) is not None
    )


# A denial of the very report that tells the change, later in the sentence: '..., a claim the
# government denied', 'but state media denied the report', 'Reports that ... were false'.
# Not 'denied reports that ...' (another report, its content follows).
_DENIED_LATER = re.compile(
    r",\s*(?:a|the)\s+claims?\b[^;.]{0,60}?\b(?:denied|dismissed|rejected|refuted|disputed)\b"
    r"|\b(?:denied|dismissed|rejected|refuted|disputed)\s+(?:the|this|that|these|those|such)"
    r"\s+(?:reports?|claims?|accounts?)\b(?!\s+that)"
    r"|\b(?:was|were)\s+(?:\w+\s+)?(?:false|untrue|baseless|fabricated)\b"
    # unconfirmed: 'but the report could not be verified', 'no independent confirmation'
    r"|\b(?:could|can)\s+not\s+(?:be\s+)?(?:independently\s+)?(?:verified|confirmed|verify|confirm)\b"
    r"|\bno\s+(?:independent\s+)?(?:confirmation|verification)\b|\bunconfirmed\b",
    re.IGNORECASE,
)
# The other side's word against it, anywhere later in the sentence: '...; state media said the
# army still held the town', 'the town remained in government hands'.
_STILL_HELD = re.compile(
    r"\bstill\s+(?:held|holds|controlled|controls|in\s+control\s+of)\s+(?:the\s+(?:\w+\s+)?"
    r"(?:town|city|village|area)|it)\b|\bstill\s+in\s+control\s*(?:[.;,]|$)"
    r"|\b(?:the\s+(?:\w+\s+)?(?:town|city|village)|it)\s+remain(?:s|ed)?\s+in\s+(?:\w+\s+)?"
    r"(?:control|hands)\b",
    re.IGNORECASE,
)


def _clause_chain_end(text: str, start: int) -> int:
    """Where the sentence's run of clauses from `start` ends: a semicolon, or the end."""
    stop = text.find(";", start)
    return len(text) if stop < 0 else stop


def _combatants(actors: Sequence[ActorRef]) -> list[ActorRef]:
    return [a for a in actors if a.side not in NON_COMBATANT_SIDES]


def _subject(text: str, actors: Sequence[ActorRef], verb_start: int) -> ActorRef | None:
    """The subject head before the verb, in its clause: the nearest fighting actor that is not
    a supporter ('backed by X', 'X-backed') nor inside a parenthetical right before the verb
    ('Troops, with Russian air cover, took ...'); of coordinated actors, the first."""
    clause_start = _clause_start(text, verb_start)
    aside = _parenthetical(text, verb_start)
    candidates = _combatants(actors)
    for actor in reversed(candidates):
        if actor.end > verb_start or (aside[0] <= actor.start < aside[1]):
            continue
        gap = text[actor.end : verb_start]
        if actor.start < clause_start or len(gap.split()) > _SUBJECT_GAP or _REPORTING.search(gap):
            return None  # too far, another clause, or the actor only reports ('X said ...')
        if _is_supporter(text, actor):
            continue
        return _first_conjunct(text, candidates, actor, clause_start)
    return None


def _parenthetical(text: str, verb_start: int) -> tuple[int, int]:
    """The span of ', ... ,' right before the verb, if it is short; else an empty span."""
    head = text[:verb_start].rstrip()
    if not head.endswith(","):
        return (0, 0)
    opening = head.rfind(",", 0, len(head) - 1)
    if opening < 0 or len(head[opening:].split()) > 16:
        return (0, 0)
    return (opening, len(head))


def _first_conjunct(
    text: str, candidates: Sequence[ActorRef], actor: ActorRef, clause_start: int
) -> ActorRef:
    """'Turkish-backed factions and fighters of HTS took': the first of coordinated actors."""
    while True:
        before = [a for a in candidates if clause_start <= a.start and a.end <= actor.start]
        if not before or not _CONJUNCT_GAP.match(text[before[-1].end : actor.start]):
            return actor
        if _is_supporter(text, before[-1]):
            return actor
        actor = before[-1]


def _speaking_actor(text: str, actors: Sequence[ActorRef]) -> ActorRef | None:
    """For 'we' inside a quote: the fighting actor named next to 'said'/'told'."""
    quoted = [(m.start(), m.end()) for m in _QUOTED.finditer(text)]
    outside = [a for a in _combatants(actors) if not any(s <= a.start < e for s, e in quoted)]
    verbs = [m.start() for m in _ATTRIBUTION_VERB.finditer(text)]
    if not outside or not verbs:
        return None
    return min(outside, key=lambda a: min(abs(a.start - v) for v in verbs))


def _actor_for(
    text: str, actors: Sequence[ActorRef], verb_start: int, ctx: EventContext
) -> ActorRef | None:
    """Who acts at `verb_start`: the subject, or what the pronoun before the verb stands for."""
    head = _head(text, verb_start)
    pronoun = _PERSON_PRONOUN_TAIL_CI.on(text).search(head)
    if pronoun is not None and pronoun.group("p").casefold().split()[0] in ("we", "our"):
        return _speaking_actor(text, actors)
    if pronoun is not None:  # 'they'/'it' in a later clause: the sentence's subject
        return (
            _reported_subject(text, actors, head, _window_start(verb_start) + pronoun.start())
            or _sentence_subject(text, actors, verb_start)
            or ctx.previous_subject()
        )
    having, participle_intro = _HAVING_CI.on(text), _PARTICIPLE_INTRO_CI.on(text)
    if _GERUND.match(text, verb_start) or having.search(head):  # 'after taking the town'
        if _NOT_ADVERBIAL_CI.on(text).search(head) and not participle_intro.search(head):
            return None  # 'Seizing the city came after...', 'the aim of recapturing it'
        if _MODAL_AFTER.match(text, verb_start):
            return None  # '... and recapturing it would sever the road': a noun
        if not participle_intro.search(head) and not having.search(head):
            # 'rebels pushed regime forces out of X, retaking it', 'IS chased the army out but the
            # army regrouped and returned recapturing the city': its clause's first actor
            clause_start = _clause_start(text, verb_start)
            return _sentence_subject(text, actors, verb_start, clause_start)
        return (
            _sentence_subject(text, actors, verb_start)
            or _subject_after(text, actors, verb_start)
            or ctx.previous_subject()
        )
    return _subject(text, actors, verb_start)


# 'X said the army must withdraw after it captured Y': a subordinate clause's pronoun ...
_SUBORDINATE_PRONOUN = re.compile(
    r"\b(?:after|before|when|once|until|since|because|as\s+soon\s+as)(?:\s+\S+){1,3}\s*$", re.I
)
# ... names the subject that opens the reported clause: right after 'said' (and 'that', 'the').
_REPORTED_GAP = re.compile(r"\s*,?\s*(?:that\s+)?(?:the\s+)?", re.I)


def _reported_subject(
    text: str, actors: Sequence[ActorRef], head: str, pronoun_start: int
) -> ActorRef | None:
    """'Erdogan said the army must withdraw after it captured Saraqeb': inside reported speech
    a pronoun of an after/before/when clause refers to the reported clause's subject (the
    army), not to the speaker. None unless a fighting actor opens the reported clause."""
    if not _SUBORDINATE_PRONOUN_CI.on(text).search(head):
        return None
    reporting = list(_REPORTING.finditer(text, 0, pronoun_start))
    if not reporting:
        return None
    verb_end = reporting[-1].end()
    for actor in _combatants(actors):
        if verb_end <= actor.start < pronoun_start:
            gap = text[verb_end : actor.start]
            return actor if _REPORTED_GAP.fullmatch(gap) else None
    return None


# A gerund after a whole clause ('IS pushed north on Monday seizing X', 'troops swept through the
# countryside, capturing X') is an adverbial participle whose subject is the sentence's; at the
# start of a sentence, after a preposition, an article or an auxiliary it is a noun.
_NOT_ADVERBIAL = re.compile(
    r"(?:^|\b(?:of|for|to|at|in|on|about|without|from|towards?|into|with|against|the|a|an|its"
    r"|their|is|are|was|were|be|been|am|not|than|like|amid|would|could|will|may|might))\W*$",
    re.I,
)
# The checks above on the words before a verb, as run on the lower-cased sentence.
_PERSON_PRONOUN_TAIL_CI = _Caseless(_PERSON_PRONOUN_TAIL)
_HAVING_CI = _Caseless(_HAVING)
_NOT_ADVERBIAL_CI = _Caseless(_NOT_ADVERBIAL)
_PARTICIPLE_INTRO_CI = _Caseless(_PARTICIPLE_INTRO)
_SUBORDINATE_PRONOUN_CI = _Caseless(_SUBORDINATE_PRONOUN)
_PASSIVE_AUX_CI = _Caseless(_PASSIVE_AUX)
_ADJECTIVE_SLOT_CI = _Caseless(_ADJECTIVE_SLOT)
_PERFECT_CI = _Caseless(_PERFECT)
_OFFSET_AFTER_CI = _Caseless(_OFFSET_AFTER)


_HEAD_WINDOW = 160


def _window_start(verb_start: int) -> int:
    return max(0, verb_start - _HEAD_WINDOW)


def _head(text: str, verb_start: int) -> str:
    """The words before a verb without trailing auxiliaries. Only a window: every check on it
    looks at its end, and a long sentence with many verbs then costs no more per verb."""
    return _AUX_TAIL_CI.sub_in(text, _window_start(verb_start), verb_start)


_AUX_TAIL_CI = _Caseless(_AUX_TAIL)


def _adverbial(text: str, verb_start: int) -> bool:
    """'..., retaking the village': a participle hanging on the clause before it."""
    if _GERUND.match(text, verb_start) is None:
        return False
    head = _head(text, verb_start)
    return (
        not _NOT_ADVERBIAL_CI.on(text).search(head)
        and not _PARTICIPLE_INTRO_CI.on(text).search(head)
        and not _HAVING_CI.on(text).search(head)
    )


def _subject_after(text: str, actors: Sequence[ActorRef], verb_start: int) -> ActorRef | None:
    """'Having seized Taftanaz, regime forces pushed on': the main clause's subject follows,
    after the participle's object, or after an apposition to that object ('Having regained
    the M5, the motorway joining the two largest cities, the allies moved on ...'): the
    actor right after a later comma counts unless a reporting verb follows it ('..., the
    monitor said')."""
    comma = text.find(",", verb_start, verb_start + 80)
    if comma < 0:
        found = _holder_after(actors, verb_start, 60)
        return found if found is not None and not _is_supporter(text, found) else None
    for number, position in enumerate(_commas(text, comma, verb_start + _APPOSITION_REACH)):
        found = _holder_after(actors, position, 25)
        if found is None:
            continue
        if _is_supporter(text, found):
            return None
        if number and _ATTRIBUTION_AFTER.match(text, found.end):
            return None
        return found
    return None


# How far after a participle its main clause's subject is looked for, past an apposition.
_APPOSITION_REACH = 160
_ATTRIBUTION_AFTER = re.compile(r"\s*(?:\([^)]*\)\s*)?(?:said|says|told|added|reported)\b", re.I)


def _commas(text: str, first: int, end: int) -> Iterator[int]:
    """`first` and the commas after it up to `end` (at most three in all)."""
    position = first
    for _ in range(3):
        yield position
        position = text.find(",", position + 1, end)
        if position < 0:
            return


def _sentence_subject(
    text: str, actors: Sequence[ActorRef], verb_start: int, clause_start: int = 0
) -> ActorRef | None:
    """'... three weeks after capturing it': a participle's subject is the sentence's (or,
    from `clause_start`, its clause's)."""
    for actor in _combatants(actors):
        if (
            clause_start <= actor.start
            and actor.end <= verb_start
            and not _is_supporter(text, actor)
        ):
            return actor
    return None


_SUPPORTER_CI = _Caseless(_SUPPORTER)
_BACKING_CI = _Caseless(_BACKING)


def _is_supporter(text: str, actor: ActorRef) -> bool:
    start = actor.start
    return (
        _SUPPORTER_CI.search_in(text, max(0, start - 30), start) is not None
        or _BACKING_CI.search_in(text, max(0, start - 90), start) is not None
        or _MODIFIER.match(text, actor.end) is not None
    )


def _holder_after(actors: Sequence[ActorRef], start: int, window: int) -> ActorRef | None:
    for actor in _combatants(actors):
        if start <= actor.start <= start + window:
            return actor
    return None


def _usable_places(text: str, places: Sequence[PlaceRef]) -> list[PlaceRef]:
    """Drop places used as adjectives ('the key Idlib town of Al-Nayrab' names Al-Nayrab) and
    whole governorates, which are regions fought over, not places that change hands."""
    return [
        p
        for p in places
        if not _ADJECTIVAL.match(text, p.end) and not p.place.endswith(" Governorate")
    ]


def _main_clause_subject(text: str, actors: Sequence[ActorRef], verb_start: int) -> ActorRef | None:
    """For an agentless passive in a subordinate clause ('rebels held off an attack on the town,
    after it was recaptured'): the main clause's subject. A main-clause passive has none."""
    clause_start = _clause_start(text, verb_start)
    if clause_start == 0:
        return None
    subject = _sentence_subject(text, actors, clause_start)
    return subject if subject is not None and subject.end <= clause_start else None


def _attacked(gap: str) -> bool:
    """'an assault on [the town of] X', 'an attempt to storm X': X is what was attacked (not
    'an attack east of X' or 'the road from X')."""
    raw = [w.strip(",") for w in gap.split()]
    words = [w.casefold() for w in raw]
    for k in range(len(words) - 1, -1, -1):
        if words[k] in _ATTACK_WORDS:
            return all(
                words[n] in _OBJECT_FILLERS or _adjectival_name(raw, n)
                for n in range(k + 1, len(words))
            )
    return False


def _adjectival_name(words: list[str], n: int) -> bool:
    """'the key Idlib town of': a capitalised name right before 'town', 'city', 'province'."""
    following = words[n + 1].casefold() if n + 1 < len(words) else ""
    return words[n][:1].isupper() and following in _PLACE_NOUNS


def _antecedent(
    text: str, places: Sequence[PlaceRef], position: int, ctx: EventContext
) -> str | None:
    """What 'it' or 'the town' stands for: the last place before `position`, here or earlier,
    unless a nearer non-place noun ('the base ... seized it') is the likelier antecedent."""
    before = [p for p in places if p.end <= position]
    since = before[-1].end if before else 0
    if _NON_PLACE_NOUNS.search(text, since, position):
        return None
    if _UNKNOWN_SETTLEMENT.search(text, since, position):
        return None  # 'in the town of Ghraneij ... when ISIL stormed the town': not a known one
    return before[-1].place if before else ctx.last_place


# 'the town of Ghraneij' after the last place we know: a settlement the gazetteer lacks
_UNKNOWN_SETTLEMENT = re.compile(
    r"\b(?:town|village|city|suburb|district|neighbou?rhood)\s+of\s+(?:al-|el-|ad-|as-)?[A-Z]"
)


def _objects(text: str, places: Sequence[PlaceRef], start: int, ctx: EventContext) -> list[str]:
    """Places right after the verb (past fillers like 'the key town of'), with coordination."""
    if _PRONOUN_PLACE.match(text[start : start + 40]):
        antecedent = _antecedent(text, places, start, ctx)
        return [antecedent] if antecedent else []
    found: list[str] = []
    cursor = start
    for place in places:
        if place.start < cursor:
            continue
        if _names_a_base(text, place):
            break  # 'captured the Abu al-Duhur airbase': taking a base, not the town
        gap = text[cursor : place.start]
        words = gap.split()
        first = not found and (
            (len(words) <= 7 and all(w.strip(",").casefold() in _OBJECT_FILLERS for w in words))
            or _UNNAMED_CONJUNCT.match(gap) is not None
            or _NAMED_BY_NOUN.match(gap) is not None
            or _UNKNOWN_FIRST.match(gap) is not None
        )
        if first or (found and (_COORDINATION.match(gap) or _UNKNOWN_CONJUNCT.match(gap))):
            found.append(place.place)
        else:
            break
        cursor = place.end
    return found


_BASE = re.compile(
    r"(?:\s+|^)(?:military\s+)?(?:air\s*base|airbase|air\s*field|airfield|airport|base|barracks"
    r"|dam)\b",
    re.I,
)


def _names_a_base(text: str, place: PlaceRef) -> bool:
    """'Abu al-Duhur airbase', 'the Tabqa dam': the mention names a facility."""
    surface = text[place.start : place.end]
    return _BASE.search(surface) is not None or _BASE.match(text, place.end) is not None


def _places_before(
    text: str, places: Sequence[PlaceRef], verb_start: int, ctx: EventContext
) -> list[str]:
    """The places the verb's subject names: 'Saraqib fell to', 'X and Y were captured by', 'it
    was recaptured', 'Yabroud, the last rebel stronghold, was captured', 'The town of Zarbah on
    the M5 south of Aleppo was seized' (Zarbah, not Aleppo)."""
    verb_start = _subject_end(text, verb_start)
    clause_start = _clause_start(text, verb_start)
    head = text[clause_start:verb_start]
    if _PRONOUN_TAIL.search(head) or not head.strip(" ,"):
        antecedent = _antecedent(text, places, verb_start, ctx)
        return [antecedent] if antecedent else []
    before = [p for p in places if clause_start <= p.start and p.end <= verb_start]
    if not before:
        return []
    subject = before[-1]
    if _HANGS.search(text, max(0, subject.start - 40), subject.start):
        subject = before[0]  # a modifier ('inside Manbij', 'south of Aleppo'): the head is first
        if subject is before[-1] or not _at_clause_head(text, clause_start, subject):
            return []
        if (
            _REPORTING.search(text, subject.end, verb_start)
            or len(text[subject.end : verb_start].split()) > _SUBJECT_GAP
        ):
            return []
    elif not _subject_tail(text, clause_start, subject, verb_start):
        return []  # 'an area in Aleppo that fell to ...' is not Aleppo falling
    return _coordinated_before(text, before, subject)


def _subject_end(text: str, verb_start: int) -> int:
    """Where the subject ends: before auxiliaries ('was', 'had been') and before a short
    parenthetical ('Kafr Nabl, a town famed for its banners, fell to ...')."""
    window = _window_start(verb_start)
    end = window + len(_head(text, verb_start))
    aside = _parenthetical(text, end)
    return aside[0] if aside[1] > aside[0] else end


def _subject_tail(text: str, clause_start: int, place: PlaceRef, verb_start: int) -> bool:
    """Whether the words between a place and its verb leave it the subject: fillers ('the
    town'), a relative pronoun ('Daraya which completely fell to'), or an apposition at the head
    of the clause without commas ('Jisr al-Shughour long a regime bastion was overrun')."""
    tail = _AUX_TAIL.sub("", _WITH_FACILITY.sub("", text[place.end : verb_start]))
    words = [w for w in tail.replace(",", " , ").split() if not w.casefold().endswith("ly")]
    if _RELATIVE_TAIL.match(tail) and len([w for w in words if w != ","]) <= 1:
        return not _HANGS.search(text, max(0, place.start - 40), place.start)
    if len(words) <= 2 and all(w == "," or w.casefold() in _OBJECT_FILLERS for w in words):
        return True
    return (
        _APPOSITION.match(tail) is not None
        and len(words) <= _SUBJECT_GAP
        and _REPORTING.search(tail) is None
        and _at_clause_head(text, clause_start, place)
    )


# 'Taftanaz and its airbase were seized': the facility goes with the town.
_WITH_FACILITY = re.compile(
    r"^\s+and\s+its\s+(?:military\s+)?(?:air\s*base|airbase|airport|dam|surroundings|outskirts)",
    re.I,
)


def _at_clause_head(text: str, clause_start: int, place: PlaceRef) -> bool:
    """Only fillers ('The town of') stand between the clause start and the place."""
    words = text[clause_start : place.start].replace(",", " ").split()
    return all(w.casefold() in _OBJECT_FILLERS for w in words)


def _coordinated_before(text: str, before: Sequence[PlaceRef], subject: PlaceRef) -> list[str]:
    """'Dadikh and Kafr Battikh fell to ...': the subject and the places coordinated before it."""
    found = [subject.place]
    index = before.index(subject)
    while index > 0 and _PLACE_AND.match(text[before[index - 1].end : before[index].start]):
        index -= 1
        found.insert(0, before[index].place)
    return found


def _holder(actor: ActorRef | None) -> tuple[str | None, str | None]:
    return (actor.actor, actor.side) if actor else (None, None)


def _took(
    text: str, match: re.Match[str], places: Sequence[PlaceRef],
    actors: Sequence[ActorRef], ctx: EventContext,
) -> list[tuple[str, ActorRef | None]]:  # fmt: skip
    """captured/seized/took/entered...: active, gerund, passive or relative clause."""
    start, end = match.start(), match.end()
    words = match.group(0).casefold().split()
    if words[0] in _CONTROL_ONLY and "control" not in words and not _wrested_from(text, words, end):
        return []
    if words[0] in _BASE_FORMS and not _right_after_subject(text, actors, start):
        return []
    if _ADJECTIVE_SLOT_CI.search(text, max(0, start - 12), start) and not _PERFECT_CI.search(
        text, max(0, start - 30), start
    ):
        return []
    passive = _PASSIVE_AUX_CI.search_in(text, max(0, start - 30), start)
    state = words[0] in _STATE_WORDS  # 'are now in full control of X': active, not passive
    if not state and (passive or text[end : end + 4].casefold() == " by "):
        subjects = _places_before(text, places, start, ctx)
        if not subjects:
            return []
        by_actor = _holder_after(actors, end, 30) if " by " in text[end : end + 5] else None
        holder = by_actor or _main_clause_subject(text, actors, start)
        if holder is None and _clause_start(text, start) == 0:
            holder = ctx.subject  # 'Rebels pushed in. Saraqeb was retaken on Monday.'
        return [(place, holder) for place in subjects]
    objects = _objects(text, places, end, ctx)
    if not objects:
        including = _INCLUDING.match(text, end)  # 'took swathes of territory, including X'
        objects = _objects(text, places, including.end(), ctx) if including else []
    if not objects:
        relative = _relative_place(text, places, start)
        objects = [relative] if relative else []
    elif "control" not in words and _moves_through(text, places, end, objects):
        return []  # 'the advance took them through X': movement, not capture
    if not objects or (
        words[0].startswith("clear") and not _cleared_of(text, places, end, objects)
    ):
        return []
    subject = _actor_for(text, actors, start, ctx)
    if _LEMMAS.get(words[0]) == "entered" and _deployment(text, start, end, subject):
        return []
    return [(place, subject) for place in objects]


# 'Russian military police entered X', 'Turkish troops entered X to reinforce the rebels': who
# enters without fighting for the place (an ally, a patrol, a convoy) changes nothing.
_NON_FIGHTING_MOVER = re.compile(
    r"\b(?:military\s+police|police|observers?|monitors?|patrols?|convoys?|aid|journalists?"
    r"|reporters?|delegations?|inspectors?|reinforcements|bombers?|suicide|attackers?|gunmen"
    r"|assailants|infiltrators)\b[^,;:]*$",
    re.I,
)
_DEPLOYMENT_PURPOSE = re.compile(
    r"[^.;:]{0,80}?\bto\s+(?:reinforce|deploy|set\s+up|establish|man|bolster|support|help"
    r"|protect|patrol|monitor|observe|escort|deliver)\b",
    re.I,
)
_BACKER_SIDES = frozenset(("russia", "turkey", "iran", "us_coalition"))
_CAPTURE_SAID = re.compile(r"\b(?:took|taken|captured|seized|control|overran|stormed)\b", re.I)


def _deployment(text: str, start: int, end: int, subject: ActorRef | None) -> bool:
    """'entered' is a change only for a side fighting for the place: not for patrols, convoys
    or observers, not with a purpose of deployment ('to reinforce', 'to set up a post'), and
    not for a foreign backer unless the sentence also says it took the place."""
    if _NON_FIGHTING_MOVER.search(text, _clause_start(text, start), start):
        return True
    if _DEPLOYMENT_PURPOSE.match(text, end):
        return True
    if subject is not None and subject.side in _BACKER_SIDES:
        return _CAPTURE_SAID.search(text) is None
    return False


# 'cleared X of terrorists/militants/IS': the fighters removed, not 'cleared the road of mines'.
_CLEARED_OF = re.compile(
    r"(?:\s+[\w'’-]+){0,4}?\s+of\s+(?:the\s+)?(?:(?:last|remaining|all)\s+)?(?:[\w-]+\s+)?"
    r"(?:terrorists?|militants?|jihadists?|insurgents?|rebels?|gunmen|fighters|extremists"
    r"|mercenaries|isis|isil|daesh|is)\b",
    re.I,
)


def _cleared_of(text: str, places: Sequence[PlaceRef], end: int, objects: list[str]) -> bool:
    """'cleared X of terrorists' (state-media wording for a capture), not 'cleared the road'."""
    after = _last_object_end(text, places, end, objects)
    return _CLEARED_OF.match(text, after) is not None


def _wrested_from(text: str, words: list[str], end: int) -> bool:
    """'wrested it from government forces', 'wrested Nairab from the regime'."""
    return words[0].startswith("wrest") and _FROM_SOON.match(text, end) is not None


def _right_after_subject(text: str, actors: Sequence[ActorRef], verb_start: int) -> bool:
    """A base or present form ('Rebels retake Saraqeb') right after a fighting actor."""
    if _MANAGED.search(text, max(0, verb_start - 40), verb_start):
        return True  # 'rebels managed to retake X': achieved, not planned
    before = [a for a in _combatants(actors) if a.end <= verb_start]
    if not before:
        return False
    gap = text[before[-1].end : verb_start]
    return not gap.strip() or _COORDINATED_TAIL.match(gap) is not None


def _moves_through(text: str, places: Sequence[PlaceRef], start: int, objects: list[str]) -> bool:
    after = _last_object_end(text, places, start, objects)
    return _MOVEMENT.match(text, after) is not None


def _relative_place(text: str, places: Sequence[PlaceRef], verb_start: int) -> str | None:
    """'Taftanaz, which the rebels seized on Monday': the place the relative clause hangs on."""
    before = [p for p in places if p.end <= verb_start]
    if not before or not _RELATIVE_GAP.match(text[before[-1].end : verb_start]):
        return None
    window_start = max(0, before[-1].start - 50)
    if _SECOND_OF_PAIR.search(text, window_start, before[-1].start) or _AROUND.search(
        text, window_start, before[-1].start
    ):
        return None  # 'the road between Aleppo and Hama, which ...' is about the road
    return before[-1].place


def _nominal(
    text: str, match: re.Match[str], places: Sequence[PlaceRef],
    actors: Sequence[ActorRef], ctx: EventContext,
) -> list[tuple[str, ActorRef | None]]:  # fmt: skip
    """'the fall of X to Y', 'the recapture of X by Y', "Y's capture of X"."""
    objects = _objects(text, places, match.end(), ctx)
    if not objects:
        return []
    after = _last_object_end(text, places, match.end(), objects)
    if _MODAL_AFTER.match(text, after):
        return []  # 'the fall of X to Y would threaten ...': a hypothetical
    noun = match.group(0).split()[0].casefold()
    holder: ActorRef | None = None
    if noun in ("fall", "loss"):
        if _TO_HOLDER.match(text, after):
            holder = _holder_after(actors, after, 40)
    elif _BY_AGENT.match(text, after):
        holder = _holder_after(actors, after, 40)
    else:
        holder = _possessor(text, actors, match.start())
    return [(place, holder) for place in objects] if holder else []


def _possessor(text: str, actors: Sequence[ActorRef], start: int) -> ActorRef | None:
    before = [a for a in _combatants(actors) if a.end <= start]
    if before and _POSSESSIVE_GAP.match(text[before[-1].end : start]):
        return before[-1]
    return None


def _fell(
    text: str, match: re.Match[str], places: Sequence[PlaceRef],
    actors: Sequence[ActorRef], ctx: EventContext,
) -> list[tuple[str, ActorRef | None]]:  # fmt: skip
    subjects = _places_before(text, places, match.start(), ctx)
    holder = _named_controller(match, actors, _HOLDER_WINDOW)
    return [(place, holder) for place in subjects] if holder else []


def _named_controller(
    match: re.Match[str], actors: Sequence[ActorRef], window: int
) -> ActorRef | None:
    """The side after 'fell to', 'under the control of', or inside 'under government control'."""
    words = match.group(0).casefold().split()
    if words[-1] in ("control", "hands"):
        inside = [a for a in _combatants(actors) if match.start() <= a.start < match.end()]
        return inside[0] if inside else None
    return _holder_after(actors, match.end(), window)


def _lost(
    text: str, match: re.Match[str], places: Sequence[PlaceRef],
    actors: Sequence[ActorRef], ctx: EventContext,
) -> list[tuple[str, ActorRef | None]]:  # fmt: skip
    objects = _objects(text, places, match.end(), ctx)
    after_place = match.end()
    if objects:
        after_place = _last_object_end(text, places, match.end(), objects)
    else:
        relative = _relative_place(text, places, match.start())  # 'X, which they lost to Y'
        objects = [relative] if relative else []
    if not objects:
        return []
    to = re.match(r"\s+(?:again\s+)?to\b", text[after_place : after_place + 12], re.I)
    holder = _holder_after(actors, after_place, 40) if to else None
    return [(place, holder) for place in objects] if holder else []


def _last_object_end(text: str, places: Sequence[PlaceRef], start: int, objects: list[str]) -> int:
    ends = [p.end for p in places if p.start >= start and p.place == objects[-1]]
    if ends:
        return ends[0]
    pronoun = _PRONOUN_PLACE.match(text[start:])
    return start + pronoun.end() if pronoun else start


def _withdrew(
    text: str, match: re.Match[str], places: Sequence[PlaceRef],
    actors: Sequence[ActorRef], ctx: EventContext,
) -> list[tuple[str, ActorRef | None]]:  # fmt: skip
    objects = _objects(text, places, match.end(), ctx)
    leaving = _subject(text, actors, match.start())
    moved = _MOVED_IN.search(text, match.end())
    if not objects or moved is None:
        return []
    newcomers = [a for a in _combatants(actors) if match.end() < a.end <= moved.start()]
    newcomers = [a for a in newcomers if leaving is None or a.side != leaving.side]
    return [(place, newcomers[-1]) for place in objects] if newcomers else []


def _ousted(
    text: str, match: re.Match[str], places: Sequence[PlaceRef],
    actors: Sequence[ActorRef], ctx: EventContext,
) -> list[tuple[str, ActorRef | None]]:  # fmt: skip
    objects = _objects(text, places, match.end(), ctx)
    if _PASSIVE_AUX_CI.search_in(text, max(0, match.start() - 30), match.start()):
        after = _last_object_end(text, places, match.end(), objects) if objects else match.end()
        by = _BY_AGENT.match(text, after)
        holder = _holder_after(actors, after, 40) if by else None
        inside = re.search(r"\bby\b", match.group(0), re.I)  # 'was expelled by the army from X'
        if holder is None and inside is not None:
            holder = _holder_after(actors, match.start() + inside.end(), 30)
        return [(place, holder) for place in objects] if holder else []
    if match.group("from") and not any(
        match.start() < a.start < match.end() for a in _combatants(actors)
    ):
        return []  # 'drove X from Y' only with a side as X: not 'forced civilians from'
    subject = _actor_for(text, actors, match.start(), ctx)
    return [(place, subject) for place in objects]


def _repelled(
    text: str, match: re.Match[str], places: Sequence[PlaceRef],
    actors: Sequence[ActorRef], ctx: EventContext,
) -> list[tuple[str, ActorRef | None]]:  # fmt: skip
    if re.match(r"\s+(?:it|them)\b", text[match.end() :], re.I):
        return []  # 'repelled it': the attack, not a place
    if _PASSIVE_AUX_CI.search(text, max(0, match.start() - 30), match.start()):
        return _repelled_by(text, match, places, actors)
    defender = _actor_for(text, actors, match.start(), ctx)
    window_end = match.end() + _ASSAULT_WINDOW
    targets = [p for p in places if match.end() <= p.start <= window_end]
    stop = _CLAUSE_BREAK.search(text, match.end())
    if stop is not None:
        targets = [p for p in targets if p.start < stop.start()]
    targets = [p for p in targets if _attacked(text[match.end() : p.start])]
    if not targets and _PRONOUN_PLACE.search(text[match.end() : window_end]):
        antecedent = _antecedent(text, places, match.start(), ctx)
        return [(antecedent, defender)] if antecedent else []
    return [(targets[0].place, defender)] if targets else []


def _repelled_by(
    text: str, match: re.Match[str], places: Sequence[PlaceRef], actors: Sequence[ActorRef]
) -> list[tuple[str, ActorRef | None]]:
    """'HTS tried to storm Kafr Nabl but was beaten back by regime troops', 'an attack on X was
    repelled by Y': Y keeps the place attacked before the verb."""
    if not _BY_AGENT.match(text, match.end()):
        return []
    defender = _holder_after(actors, match.end(), 30)
    attacked = [
        p
        for p in places
        if p.end <= match.start() and _attacked(text[max(0, p.start - 60) : p.start])
    ]
    return [(attacked[-1].place, defender)] if attacked and defender else []


def _state(
    text: str, match: re.Match[str], places: Sequence[PlaceRef],
    actors: Sequence[ActorRef], ctx: EventContext,
) -> list[tuple[str, ActorRef | None]]:  # fmt: skip
    """'X has been under government control since ...', 'X is now under the control of Y',
    'X came under rebel control', 'Y have been in control of X since ...'. Whether the state is
    recent enough to be a change is decided by the caller (`_recent_since`)."""
    words = match.group(0).casefold().split()
    if words[0] == "now" and text[: match.start()].rstrip().endswith(","):
        return []  # 'displaced from A, B and C, now under government control': a description
    if "under" not in words and "hands" not in words:  # 'rebels have been in control of X'
        subject = _actor_for(text, actors, match.start(), ctx)
        return [(place, subject) for place in _objects(text, places, match.end(), ctx)]
    holder = _named_controller(match, actors, 40)
    subjects = _places_before(text, places, match.start(), ctx) if holder else []
    return [(place, holder) for place in subjects]


_RECENT_DAYS = 31
_SINCE = re.compile(r"\bsince\s+(?:the\s+)?$", re.I)


def _recent_since(
    text: str, match: re.Match[str], refs: Sequence[DateRef], published: date | None
) -> tuple[bool, date | None]:
    """A perfect state ('has been under X control since D') reports a change only when D is a
    day within ~a month before the article: 'since Monday' is news, 'since 2012' is not. Other
    state forms ('is now under', 'came under') always report one. Returns (is a change, D)."""
    words = match.group(0).casefold().split()
    if words[0] not in ("has", "have"):
        return True, None
    for ref in refs:
        if ref.start < match.end() or ref.date is None or ref.month_only:
            continue  # 'since February' and 'since 2012' are too vague to date a change
        if not _SINCE.search(text, max(0, ref.start - 12), ref.start):
            continue
        recent = published is None or timedelta(0) <= published - ref.date <= timedelta(
            days=_RECENT_DAYS
        )
        return recent, ref.date
    return False, None


_HANDLERS = {
    "state": _state,
    "took": _took, "fell": _fell, "lost": _lost, "withdrew": _withdrew, "ousted": _ousted,
    "repelled": _repelled, "nominal": _nominal,
}  # fmt: skip


def _event_date(
    text: str, verb: tuple[int, int], verbs: Sequence[int],
    refs: Callable[[], Sequence[DateRef]], default: date | None, carried: date | None = None,
) -> date | None:  # fmt: skip
    """The date of the verb's own clause ('took it on 6 February, the factions retook it on 27
    February'), else `carried` (a participle's main clause date), else the nearest in a clause
    without a verb of its own; 'three weeks after capturing it' counts back from the sentence's
    date."""
    verb_start = verb[0]
    led = _led_by_offset(text, verb_start, refs())
    if led is not None:
        return led
    offset = _OFFSET_AFTER_CI.search_in(text, max(0, verb_start - 60), verb_start)
    if offset is None:
        return _clause_date(text, verb, verbs, refs(), default, carried)
    base = date_near(list(refs()), 0, default)
    days = offset_days(offset)
    return base - timedelta(days=days) if base else None


# 'Three days after capturing X on 10 March, regime forces took Y': the opening clause is
# dated, the main clause counts on from it
_LEADING_OFFSET = re.compile(rf"\s*{OFFSET_COUNT}\b[^,;]*[,;]", re.IGNORECASE)


def _led_by_offset(text: str, verb_start: int, refs: Sequence[DateRef]) -> date | None:
    """In a sentence opened by a dated 'N days after ...,' clause: that clause's date for its
    own verb, and N days later for a main-clause verb with no date of its own."""
    lead = _LEADING_OFFSET.match(text)
    if lead is None:
        return None
    anchors = [r for r in refs if _usable_date(text, r) and r.end <= lead.end()]
    if not anchors:
        return None
    if verb_start < lead.end():
        return anchors[-1].date
    if any(_usable_date(text, r) for r in refs if r.start >= lead.end()):
        return None  # the main clause has a date of its own
    anchor = anchors[-1].date
    return anchor + timedelta(days=offset_days(lead)) if anchor else None


def _usable_date(text: str, ref: DateRef) -> bool:
    """Period bounds are not event dates, except 'since the start of February, X took ...'."""
    if ref.date is None:
        return False
    before = text[max(0, ref.start - 7) : ref.start].split()
    return not ref.period or (ref.month_only and [w.casefold() for w in before[-1:]] == ["since"])


_SEGMENT_BREAK_WORDS = "and but while whereas since after before until which who where"
_SEGMENT_BREAK_CI = _Caseless(
    _SEGMENT_BREAK,
    r"[,;:]|" + initial_grouped(_SEGMENT_BREAK_WORDS.split()),
)


def _segment(text: str, position: int) -> tuple[int, int]:
    start = 0
    for match in _SEGMENT_BREAK_CI.finditer(text, 0, position):
        start = match.end()
    following = _SEGMENT_BREAK_CI.search(text, position)
    return start, following.start() if following else len(text)


def _clause_date(
    text: str, verb: tuple[int, int], verbs: Sequence[int], refs: Sequence[DateRef],
    default: date | None, carried: date | None = None,
) -> date | None:  # fmt: skip
    usable = [r for r in refs if _usable_date(text, r)]
    start, end = _segment(text, verb[1])
    start = min(start, _segment(text, verb[0])[0])
    after = [r for r in usable if verb[1] <= r.start < end]
    if after:
        return after[0].date
    before = [r for r in usable if start <= r.start and r.end <= verb[0]]
    if before:
        return before[-1].date
    if _background(text, verb[0], verbs) or _LONG_SPAN.search(text):
        return None
    if not usable:
        return default
    if carried is not None:
        return carried
    free = [
        r for r in usable if not any(_segment(text, r.start) == _segment(text, v) for v in verbs)
    ]
    if not free:
        return default
    nearest = min(free, key=lambda r: min(abs(r.start - verb[0]), abs(r.end - verb[1])))
    return nearest.date


# A clause that tells what came before the sentence's news: 'X took it on Monday, days after Y
# had retaken it', '... hours after rebels entered it'. Its change happened earlier, on a day
# the sentence does not give: dated like the main clause it would come out as the later one,
# and the place would show the wrong holder.
_BACKGROUND = re.compile(
    r"\b(?:(?:days|weeks|hours|months|shortly|soon|just|not\s+long|only\s+(?:days|hours|weeks))"
    r"\s+after\s+(?:[\w'-]+\s+){0,6}"
    r"|after\s+(?:[\w'-]+\s+){0,6}had\s+(?:been\s+)?)$",
    re.IGNORECASE,
)


# 'Over the past three months the army retook X', 'in recent weeks': a change somewhere in a
# span of weeks or more, on no day the sentence gives (a past week or day is close enough
# to the article's date).
_LONG_SPAN = re.compile(
    r"\b(?:(?:over|in|during|within|across|throughout)\s+(?:the\s+)?(?:past|last|previous)"
    r"\s+(?:(?:few|several|two|three|four|five|six|\d+)\s+)?(?:weeks|months|years)"
    r"|in\s+recent\s+(?:weeks|months|years))\b",
    re.IGNORECASE,
)


def _background(text: str, verb_start: int, verbs: Sequence[int]) -> bool:
    """The verb opens a background clause ('days after', 'after ... had') that follows another
    change verb of the sentence (a sentence that opens with 'After ...' is not one)."""
    intro = _BACKGROUND.search(text, max(0, verb_start - 90), verb_start)
    return intro is not None and any(v < intro.start() for v in verbs)


_WORD = re.compile(r"[^\W\d_]+")


def _trigger_pattern(words: frozenset[str]) -> re.Pattern[str]:
    """Any of `words` as a whole run of letters (a `_WORD`) in lower-cased text. Grouped by
    first letter, with the no-letter-before check after that letter, so that the engine skips
    every position whose character starts no trigger without entering the alternation."""
    by_first: dict[str, list[str]] = {}
    for word in sorted(words, key=lambda w: (-len(w), w)):
        by_first.setdefault(word[0], []).append(re.escape(word[1:]))
    branches = (
        rf"{re.escape(first)}(?<![^\W\d_].)(?:{'|'.join(rests)})"
        for first, rests in sorted(by_first.items())
    )
    return re.compile(rf"(?:{'|'.join(branches)})(?![^\W\d_])")


_TRIGGER = _trigger_pattern(_TRIGGERS)
# These start a control verb only in a phrase with 'control' (or 'hands of') after them ('has
# been under government control', 'is now in control of', 'fully controlled', 'came under the
# control of', 'is now in the hands of'): elsewhere they are not looked at ('has', 'is' are
# everywhere).
_CONTROL_PHRASE_TRIGGERS = word_set("has have is are now fully came")
_TRIGGER_WITHOUT_CONTROL = _trigger_pattern(_TRIGGERS - _CONTROL_PHRASE_TRIGGERS)


def _trigger_starts(text: str) -> list[int]:
    """Offsets of the words (runs of letters) that are trigger words, in order: one C-level
    scan of the lower-cased text where that is exact (see lowered_for_matching), else a
    set look-up per word."""
    lowered = lowered_for_matching(text)
    if lowered is not None:
        state = "control" in lowered or "hands of" in lowered  # 'is now in the hands of'
        pattern = _TRIGGER if state else _TRIGGER_WITHOUT_CONTROL
        return [match.start() for match in pattern.finditer(lowered)]
    return [w.start() for w in _WORD.finditer(text) if w.group().lower() in _TRIGGERS]


def _verb_matches(text: str) -> list[re.Match[str]]:
    """Control-verb matches, trying the big pattern only at words that can start one."""
    found: list[re.Match[str]] = []
    end = 0
    for start in _trigger_starts(text):
        if start >= end:
            match = _VERBS.match(text, start)
            if match is not None:
                found.append(match)
                end = match.end()
    return found


def find_events(
    text: str,
    places: Sequence[PlaceRef],
    actors: Sequence[ActorRef],
    refs: Callable[[], Sequence[DateRef]] = list,
    published: date | None = None,
    ctx: EventContext | None = None,
) -> list[EventDraft]:
    """Control changes in one sentence (mentions are sentence-relative; `refs` returns the
    sentence's date references and is only called when an event is found)."""
    ctx = ctx or EventContext()
    if text.rstrip().endswith("?"):
        return []  # a question reports nothing
    matches = _verb_matches(text)
    if not matches:
        ctx.set_subject(_sentence_subject(text, actors, len(text)))
        return []
    places = _usable_places(text, places)
    actors = _with_generics(text, actors, ctx)
    drafts: list[EventDraft] = []
    seen: set[tuple[str, str | None, date | None]] = set()
    verbs = [m.start() for m in matches]
    for match in matches:
        if _is_hedged(text, match.start()):
            continue
        handler = _HANDLERS[match.lastgroup or "took"]
        found = handler(text, match, places, actors, ctx)
        since: date | None = None
        if match.lastgroup == "state":
            is_change, since = _recent_since(text, match, refs(), published)
            found = found if is_change else []
        own = _own_dates(text, match.end(), places, found, refs) if len(found) > 1 else {}
        carried = drafts[-1].date if drafts and _adverbial(text, match.start()) else None
        owned = _possessive_date(text, match, refs) if found else None
        # a campaign's tally is dated only by a date of its own, never by the article's: it
        # says who took the places, not that they changed hands the day it was published
        default = None if found and _tally(text, match.end()) else published
        for place, actor in found:
            name, side = _holder(actor)
            when = (
                since
                or owned
                or own.get(place)
                or _event_date(text, match.span(), verbs, refs, default, carried)
            )
            if name is None or (place, side, when) in seen:
                continue
            seen.add((place, side, when))
            drafts.append(EventDraft(place, name, side, _lemma(match), when, match.start()))
    ctx.set_subject(_main_subject(text, actors, drafts))
    mentioned = {p.place for p in places}
    ctx.set_topic(next((d.place for d in reversed(drafts) if d.place not in mentioned), None))
    return drafts


_POSSESSIVE_GAP = re.compile(r"['’]s\s+(?:(?:surprise|swift|rapid|sudden|latest)\s+)?")


def _possessive_date(
    text: str, match: re.Match[str], refs: Callable[[], Sequence[DateRef]]
) -> date | None:
    """'Yesterday's capture of X', 'Monday's fall of X': the nominal's own date."""
    if match.lastgroup != "nominal":
        return None
    before = text[max(0, match.start() - 20) : match.start()]
    if "'" not in before and "’" not in before:
        return None
    for ref in refs():
        if ref.date is not None and _POSSESSIVE_GAP.fullmatch(text, ref.end, match.start()):
            return ref.date
    return None


def _own_dates(
    text: str, start: int, places: Sequence[PlaceRef],
    found: Sequence[tuple[str, ActorRef | None]], refs: Callable[[], Sequence[DateRef]],
) -> dict[str, date]:  # fmt: skip
    """'took Khan Shaykhun last August and Maarat al-Numan in January': a date right after a
    coordinated object is that object's own."""
    names = {place for place, _ in found}
    mentions = [p for p in places if p.start >= start and p.place in names]
    dated: dict[str, date] = {}
    for k, mention in enumerate(mentions):
        stop = mentions[k + 1].start if k + 1 < len(mentions) else mention.end + 30
        for ref in refs():
            if mention.end <= ref.start < min(stop, mention.end + 30) and _usable_date(text, ref):
                dated.setdefault(mention.place, ref.date)  # type: ignore[arg-type]
    return dated


def _main_subject(
    text: str, actors: Sequence[ActorRef], drafts: Sequence[EventDraft]
) -> ActorRef | None:
    """What 'they' in the next sentence most likely stands for: the holder of this
    sentence's last event, else its first fighting actor that is not a supporter."""
    if drafts:
        held = [a for a in actors if a.actor == drafts[-1].actor]
        if held:
            return held[0]
    return _sentence_subject(text, actors, len(text))
