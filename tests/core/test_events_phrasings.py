"""Control-change phrasings of real reporting, one fixture table per construction.

Each row is a sentence (or two) and the changes an analyst reads in it: (place, side, date),
dates resolved against a Tuesday article. The negatives are the tempting look-alikes."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from test_extract_pipeline_support import fake_matchers

from core.extract.pipeline import Extractor

TUESDAY = date(2020, 2, 25)
MONDAY, SUNDAY, SATURDAY = (TUESDAY - timedelta(days=n) for n in (1, 2, 3))
THURSDAY = date(2020, 2, 20)
GOV, OPP, JIH = "government", "opposition", "jihadist"

Change = tuple[str, str, date | None]


def _changes(text: str) -> list[Change]:
    extraction = Extractor(matchers=fake_matchers()).extract_text(text, TUESDAY)
    return [(e.place, e.side or "", e.date) for e in extraction.events]


PASSIVES: list[tuple[str, list[Change]]] = [
    ("Kafr Nabl was captured by regime troops on Monday.", [("Kafr Nabl", GOV, MONDAY)]),
    # an apposition or a relative clause between the subject and its passive verb
    (
        "Saraqeb, the key town on the M5 highway, was captured by regime forces on Monday.",
        [("Saraqeb", GOV, MONDAY)],
    ),
    (
        "Saraqeb, which rebels recaptured on Thursday, was retaken by regime forces on Monday.",
        [("Saraqeb", OPP, THURSDAY), ("Saraqeb", GOV, MONDAY)],
    ),
    # wire text with its commas stripped
    (
        "Jisr al-Shughour long a regime bastion in western Idlib was overrun by HTS on Sunday",
        [("Jisr al-Shighour", JIH, SUNDAY)],
    ),
    # the subject is the head of a prepositional chain, not the reference point at its end
    (
        "The town of Binnish on the M4 highway east of Idlib city was seized by regime forces"
        " on Sunday.",
        [("Binnish", GOV, SUNDAY)],
    ),
    (
        "Sarmin and Binnish were captured by regime forces on Monday.",
        [("Sarmin", GOV, MONDAY), ("Binnish", GOV, MONDAY)],
    ),
    (
        "Rebels held Palmyra until they were driven out of the ancient city by regime troops on"
        " Monday.",
        [("Palmyra", GOV, MONDAY)],
    ),
    # an agentless passive takes the previous sentence's subject, with or without a control verb
    (
        "Regime forces reached the outskirts of Ariha on Sunday. On Monday night the town was"
        " captured.",
        [("Ariha", GOV, MONDAY)],
    ),
    # a passive repulse: the agent keeps the place attacked
    (
        "HTS fighters tried to storm Kafr Nabl on Monday but were beaten back by regime troops.",
        [("Kafr Nabl", GOV, MONDAY)],
    ),
    ("An attack on Ariha was repelled by rebel fighters on Sunday.", [("Ariha", OPP, SUNDAY)]),
]

FELL_AND_LOST: list[tuple[str, list[Change]]] = [
    (
        "Sarmin and Binnish fell under the control of government forces on Monday.",
        [("Sarmin", GOV, MONDAY), ("Binnish", GOV, MONDAY)],
    ),
    ("Taftanaz fell under rebel control on Sunday.", [("Taftanaz", OPP, SUNDAY)]),
    ("Sarmin surrendered to regime forces on Monday.", [("Sarmin", GOV, MONDAY)]),
    ("Saraqeb was back in government hands on Monday.", [("Saraqeb", GOV, MONDAY)]),
    ("Kafr Nabl returned to regime control on Sunday.", [("Kafr Nabl", GOV, SUNDAY)]),
    (
        "Taftanaz and its airbase were seized by regime forces on Monday.",
        [("Taftanaz", GOV, MONDAY)],
    ),
    (
        "Residents returned to Ariha which completely fell to regime forces on Monday",
        [("Ariha", GOV, MONDAY)],
    ),
    (
        "Rebels recaptured Ariha on Monday, two days after losing it to regime forces.",
        [("Ariha", OPP, MONDAY), ("Ariha", GOV, SATURDAY)],
    ),
]

ACTIVE: list[tuple[str, list[Change]]] = [
    ("HTS drove regime forces from Binnish on Monday.", [("Binnish", JIH, MONDAY)]),
    (
        "The army said it had cleared Kafr Nabl and Ariha of terrorists.",
        [("Kafr Nabl", GOV, TUESDAY), ("Ariha", GOV, TUESDAY)],
    ),
    (
        "Regime forces seized full control of the ancient city of Palmyra on Monday.",
        [("Palmyra", GOV, MONDAY)],
    ),
    (
        "Army units took control of the villages of Sarmin and Binnish on Sunday.",
        [("Sarmin", GOV, SUNDAY), ("Binnish", GOV, SUNDAY)],
    ),
    # a name the gazetteer lacks ('Hass') does not end a list of places
    (
        "Regime forces captured Kafr Nabl, Hass and Ariha on Monday.",
        [("Kafr Nabl", GOV, MONDAY), ("Ariha", GOV, MONDAY)],
    ),
    ("Rebels drove regime forces out of Hass and Ariha.", [("Ariha", OPP, TUESDAY)]),
    # adverbial participles take their clause's subject, with or without a comma
    (
        "Rebels pushed into Nairab on Monday seizing Sarmin from regime forces",
        [("Sarmin", OPP, MONDAY)],
    ),
    (
        "Regime forces swept through the area on Sunday, capturing Sarmin and Binnish.",
        [("Sarmin", GOV, SUNDAY), ("Binnish", GOV, SUNDAY)],
    ),
    (
        "Rebels pushed regime forces out of Nairab on Monday, retaking the village.",
        [("Al-Nayrab", OPP, MONDAY)],
    ),
    # 'the same group', 'the jihadists' refer back
    (
        "Jisr al-Shughour fell to HTS on Saturday, four weeks after the same group captured Idlib"
        " city.",
        [("Jisr al-Shighour", JIH, SATURDAY), ("Idlib", JIH, SATURDAY - timedelta(weeks=4))],
    ),
    (
        "HTS shelled Ariha on Sunday. On Monday the jihadists entered the town.",
        [("Ariha", JIH, MONDAY)],
    ),
    # a dateline month is not the modal 'may'
    (
        "Aleppo May 10 Regime forces have taken control of Sarmin",
        [("Sarmin", GOV, date(2019, 5, 10))],
    ),
    # each clause keeps its own date: 'since', 'which' open another clause
    (
        "Regime forces entered Palmyra on Monday for the first time since losing it in March.",
        [("Palmyra", GOV, MONDAY)],
    ),
    (
        "Rebels recaptured Sarmin on Monday which regime forces took from them in January",
        [("Sarmin", OPP, MONDAY), ("Sarmin", GOV, date(2020, 1, 1))],
    ),
    # 'it' keeps pointing at the paragraph's topic after an event reached it
    (
        "Nairab has changed hands twice. Regime forces took it early this month, in the sweep that"
        " brought them Saraqeb. On Monday rebels recaptured it.",
        [("Al-Nayrab", GOV, date(2020, 2, 1)), ("Al-Nayrab", OPP, MONDAY)],
    ),
]

# In reported speech, the pronoun of an after/before clause is the reported clause's subject,
# not the speaker; when the speaker's own pronoun opens the reported clause, it is the speaker.
REPORTED: list[tuple[str, list[Change]]] = [
    (
        "Erdogan said regime forces must withdraw by Thursday after they captured Saraqeb on"
        " Monday.",
        [("Saraqeb", GOV, MONDAY)],
    ),
    (
        "Ankara said the Syrian army had to pull back after it seized Saraqeb on Monday.",
        [("Saraqeb", GOV, MONDAY)],
    ),
    ("Regime forces said they captured Saraqeb on Monday.", [("Saraqeb", GOV, MONDAY)]),
    (
        "Rebels said they repelled regime forces before they recaptured Saraqeb on Monday.",
        [("Saraqeb", OPP, MONDAY)],
    ),
]

# storming and sweeping into a place is entering it by force; gaining control is taking it
FORCED_ENTRY: list[tuple[str, list[Change]]] = [
    ("Regime troops stormed into Kafr Nabl on Monday.", [("Kafr Nabl", GOV, MONDAY)]),
    ("Rebels swept into Saraqeb on Monday.", [("Saraqeb", OPP, MONDAY)]),
    ("Regime forces stormed Sarmin on Monday.", [("Sarmin", GOV, MONDAY)]),
    ("Regime forces gained control of Binnish on Monday.", [("Binnish", GOV, MONDAY)]),
    # monitor wording: 'managing to advance and seize control of X' is achieved
    (
        "Activists saw regime forces managing to advance and seize control of Kafr Nabl on Monday.",
        [("Kafr Nabl", GOV, MONDAY)],
    ),
]

# a weekday followed by its own date is that date; a possessive date belongs to its nominal
DATED: list[tuple[str, list[Change]]] = [
    ("Rebels recaptured Sarmin on Thursday 20 February.", [("Sarmin", OPP, THURSDAY)]),
    ("Rebels recaptured Sarmin on Thursday, February 20.", [("Sarmin", OPP, THURSDAY)]),
    (
        "Yesterday's capture of Kafr Nabl by regime forces was followed on Thursday by clashes.",
        [("Kafr Nabl", GOV, MONDAY)],
    ),
    (
        "Sunday's recapture of Sarmin by rebels was reversed on Monday.",
        [("Sarmin", OPP, SUNDAY)],
    ),
]

# a tally of many places, some named, is undated unless it carries a date of its own
TALLIES: list[tuple[str, list[Change]]] = [
    (
        "Regime forces captured scores of towns and villages, including Kafr Nabl and Sarmin.",
        [("Kafr Nabl", GOV, None), ("Sarmin", GOV, None)],
    ),
    (
        "On Monday regime forces captured more than 20 villages, including Kafr Nabl.",
        [("Kafr Nabl", GOV, MONDAY)],
    ),
    (
        "Regime forces captured several villages, including Kafr Nabl.",
        [("Kafr Nabl", GOV, TUESDAY)],
    ),
]

# a state newly reported ('is now in the hands of'); how often is not when
STATES: list[tuple[str, list[Change]]] = [
    ("After weeks of fighting Kafr Nabl is now in the hands of regime troops.",
     [("Kafr Nabl", GOV, TUESDAY)]),
    ("Regime troops have retaken Sarmin for the second time this month.",
     [("Sarmin", GOV, TUESDAY)]),
]  # fmt: skip

# what came before the news, in a trailing clause: earlier on a day the sentence does not
# give, so undated (dated like the main clause it would read as the later change, and the
# place would show the wrong holder); with a date of its own it keeps it
BACKGROUND: list[tuple[str, list[Change]]] = [
    (
        "Regime forces backed by Russian air power recaptured the strategic town of Saraqeb on"
        " Monday, state media said, days after rebels supported by Ankara had retaken it.",
        [("Saraqeb", GOV, MONDAY), ("Saraqeb", OPP, None)],
    ),
    (
        "Rebels retook Sarmin hours after regime troops entered it.",
        [("Sarmin", OPP, TUESDAY), ("Sarmin", GOV, None)],
    ),
    (
        "Rebels retook Sarmin on Monday, after regime forces had captured it.",
        [("Sarmin", OPP, MONDAY), ("Sarmin", GOV, None)],
    ),
    (
        "Rebels retook Sarmin on Monday, after regime forces had captured it on Thursday.",
        [("Sarmin", OPP, MONDAY), ("Sarmin", GOV, THURSDAY)],
    ),
    # an opening 'After ...' clause is read as before (its own date, else the sentence's)
    (
        "After regime forces captured Kafr Nabl, rebels retook Sarmin on Monday.",
        [("Kafr Nabl", GOV, TUESDAY), ("Sarmin", OPP, MONDAY)],
    ),
]

# a change somewhere in a span of weeks or more is undated; a past week or day is close enough
SPANS: list[tuple[str, list[Change]]] = [
    (
        "Over the past three months, regime forces retook Kafr Nabl and Sarmin.",
        [("Kafr Nabl", GOV, None), ("Sarmin", GOV, None)],
    ),
    ("Regime forces have captured Kafr Nabl in recent weeks.", [("Kafr Nabl", GOV, None)]),
    ("In the past week, rebels recaptured Sarmin.", [("Sarmin", OPP, TUESDAY)]),
    ("In the last 24 hours, regime forces seized Sarmin.", [("Sarmin", GOV, TUESDAY)]),
    (
        "Over the past two months regime forces took Kafr Nabl on Monday.",
        [("Kafr Nabl", GOV, MONDAY)],
    ),
]

# ... but a denial of something else does not touch it
DENIALS_OF_OTHER_THINGS: list[tuple[str, list[Change]]] = [
    (
        "Rebels retook Sarmin on Monday, while regime forces still hold Kafr Nabl.",
        [("Sarmin", OPP, MONDAY)],
    ),
    (
        "Rebels retook Sarmin on Monday; the regime denied reports that it had used gas.",
        [("Sarmin", OPP, MONDAY)],
    ),
    (
        "Rebels retook Sarmin on Monday and the regime denied reports that it had used gas.",
        [("Sarmin", OPP, MONDAY)],
    ),
]

# The subject of a participle's main clause, past an apposition to the participle's object;
# 'the allies' after a sentence naming a local side and its backer is the local side (it holds
# the ground the allies took). A reporting verb after a later comma names no subject.
PARTICIPLE_SUBJECTS: list[tuple[str, list[Change]]] = [
    (
        "Having seized Kafr Nabl, a town south of Maarat al-Numan, regime forces pushed north.",
        [("Kafr Nabl", GOV, TUESDAY)],
    ),
    (
        "Russian warplanes have flown for the Syrian regime all winter. Having regained the "
        "M5, the motorway joining the two largest cities, the allies are moving on to the "
        "M4.",
        [("M5 highway", GOV, TUESDAY)],
    ),
    (
        "Turkish drones have backed the rebels for a week. Having retaken Saraqeb, a town on "
        "the M5, the allies pushed on.",
        [("Saraqeb", OPP, TUESDAY)],
    ),
]

PHRASINGS = (
    PASSIVES + FELL_AND_LOST + ACTIVE + REPORTED + FORCED_ENTRY + DATED + TALLIES + STATES
    + BACKGROUND + SPANS + DENIALS_OF_OTHER_THINGS + PARTICIPLE_SUBJECTS
)  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), PHRASINGS, ids=[t[:50] for t, _ in PHRASINGS])
def test_phrasing_reports_the_change(text: str, expected: list[Change]) -> None:
    assert _changes(text) == expected


LOOK_ALIKES = [
    # unconfirmed, or contradicted by the other side in the same sentence
    "Rebels said they had captured Sarmin on Monday, but there was no independent confirmation"
    " and state media said the army still held the town.",
    "Opposition activists reported that rebels had entered Sarmin, but the report could not be"
    " verified.",
    "Turkish media reported that rebels had taken Sarmin; state media said the army still held"
    " the town.",
    "Rebels said they had entered Sarmin, but the town remained in regime hands.",
    # the report of the change is itself denied, later in the sentence
    "Rebels said they had retaken Sarmin, a claim the regime denied.",
    "Rebels retook Sarmin, opposition sources said, but state media denied the report.",
    "Reports that rebels had captured Sarmin were false, the army said.",
    # facilities, people and deployments are not places changing hands
    "Regime troops captured the Taftanaz airbase on Monday.",
    "The rebel headquarters inside Sarmin was captured as regime forces pushed in.",
    "Suicide bombers entered Sarmin and attacked regime forces.",
    # a place named as a reference point is not what the relative clause is about
    "The killings were in the village of Rityan north of the city of Ariha which regime forces"
    " entered on Monday.",
    # 'the town' after a town the gazetteer lacks is that town, not the last known place
    "A resident of Ariha said men were executed in the town of Ghraneij when jihadists stormed"
    " the town on Monday.",
    "Gunmen stormed a hospital in Ariha on Monday.",
    "A Turkish military convoy rolled into Saraqeb on Monday.",
    "Regime forces stormed rebel positions near Sarmin but were repelled.",
    "Regime forces gained ground near Binnish on Monday.",
    "Kafr Nabl has been in the hands of regime troops since 2019.",
    "Rebels forced thousands of civilians from Binnish.",
    "Army engineers cleared the M5 highway of mines.",
    # nouns, plans, descriptions and movement
    "Capturing Ariha would open the road north, Assad said.",
    "Regime forces reached Ariha, and recapturing Sarmin would cut the M4.",
    "Families fled from Sarmin, Binnish and Ariha, now under government control.",
    "Rebels advanced into the outskirts of Kafr Nabl on Sunday.",
    "Displaced families returned to Saraqeb on Monday.",
    "Regime forces pushed back into Saraqeb on Monday.",
    "Rebels held Ariha. Regime forces captured the nearby village on Monday.",
    "Rebels held Ariha. Regime forces captured the old town mosque on Monday.",
    # the side fought against is not the holder of an agentless passive
    "Kurdish fighters battling HTS advanced near Sarmin a week after the town was recaptured from"
    " the jihadists.",
    # 'the jihadists' with no jihadist named before refers to nobody
    "Regime forces shelled Ariha. On Monday the jihadists entered the town.",
]


@pytest.mark.parametrize("text", LOOK_ALIKES)
def test_look_alike_is_not_a_change(text: str) -> None:
    assert _changes(text) == []


def test_a_dated_opening_after_clause_dates_the_main_clause() -> None:
    text = "Three days after capturing Kafr Nabl on 10 February, regime forces took Sarmin."
    assert _changes(text) == [
        ("Kafr Nabl", GOV, date(2020, 2, 10)),
        ("Sarmin", GOV, date(2020, 2, 13)),
    ]


def test_a_reporting_verb_after_a_later_comma_names_no_subject() -> None:
    text = (
        "Having retaken Saraqeb, a town on the M5 that links the capital and Aleppo, the "
        "fighters moved on, Turkey said."
    )
    assert all(side != "turkey" for _, side, _ in _changes(text))
    assert _changes(text.replace("Turkey said", "Turkey pushed on")) == [
        ("Saraqeb", "turkey", TUESDAY)
    ]
