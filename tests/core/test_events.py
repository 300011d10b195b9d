"""Control changes: sentence -> (place, holder, side, verb, date); attempts and hedges are not."""

from __future__ import annotations

from datetime import date

import pytest
from test_extract_pipeline_support import fake_matchers

from core.extract.pipeline import Extractor

TUESDAY = date(2020, 2, 25)
MONDAY = date(2020, 2, 24)
GOV, OPP = ("Syrian government", "government"), ("Syrian opposition", "opposition")
HTS, SNA = ("Hayat Tahrir al-Sham", "jihadist"), ("Syrian National Army", "opposition")

Row = tuple[str, tuple[str, str], str, date | None]


def _events(text: str, published: date = TUESDAY) -> list[Row]:
    extraction = Extractor(matchers=fake_matchers()).extract_text(text, published)
    return [(e.place, (e.actor or "", e.side or ""), e.verb, e.date) for e in extraction.events]


POSITIVE: list[tuple[str, list[Row]]] = [
    ("Regime forces captured Saraqeb on Monday.", [("Saraqeb", GOV, "captured", MONDAY)]),
    ("HTS seized Ariha.", [("Ariha", HTS, "seized", TUESDAY)]),
    (
        "Syrian troops took control of Taftanaz yesterday.",
        [("Taftanaz", GOV, "took control of", MONDAY)],
    ),
    ("Rebels took Sarmin on Sunday.", [("Sarmin", OPP, "took", date(2020, 2, 23))]),
    (
        "Turkish-backed fighters recaptured Nairab overnight.",
        [("Al-Nayrab", SNA, "recaptured", TUESDAY)],
    ),
    ("The Syrian army retook Khan Sheikhoun.", [("Khan Shaykhun", GOV, "retook", TUESDAY)]),
    (
        "The army said it had regained full control of Maarat al-Numan.",
        [("Maarat al-Numan", GOV, "regained", TUESDAY)],
    ),
    (
        "Syrian troops entered Kafr Nabl last week.",
        [("Kafr Nabl", GOV, "entered", date(2020, 2, 18))],
    ),
    (
        "Saraqib fell to the Syrian army on Thursday.",
        [("Saraqeb", GOV, "fell to", date(2020, 2, 20))],
    ),
    ("Government forces lost Saraqeb to rebel fighters.", [("Saraqeb", OPP, "lost", TUESDAY)]),
    (
        "HTS withdrew from Atarib, and Syrian army units moved in hours later.",
        [("Atarib", GOV, "withdrew from", TUESDAY)],
    ),
    ("Rebels pushed regime forces out of Nayrab.", [("Al-Nayrab", OPP, "pushed out", TUESDAY)]),
    (
        "HTS fighters drove pro-government forces out of the town of Binnish.",
        [("Binnish", HTS, "pushed out", TUESDAY)],
    ),
    ("Rebel fighters held off an assault on Saraqeb.", [("Saraqeb", OPP, "held off", TUESDAY)]),
    (
        "Opposition fighters repelled an attempt by regime forces to storm Sarakeb.",
        [("Saraqeb", OPP, "repelled", TUESDAY)],
    ),
    (
        "Syrian rebel fighters fought off a regime advance into the key Idlib town of Nairab.",
        [("Al-Nayrab", OPP, "fought off", TUESDAY)],
    ),
    (
        "Government forces captured Taftanaz and Sarmin on Monday.",
        [("Taftanaz", GOV, "captured", MONDAY), ("Sarmin", GOV, "captured", MONDAY)],
    ),
    ("HTS expelled regime forces from Taftanaz.", [("Taftanaz", HTS, "pushed out", TUESDAY)]),
    ("Regime forces overran Kafr Nabl.", [("Kafr Nabl", GOV, "overran", TUESDAY)]),
    ("The Syrian army liberated Khan Sheikhoun.", [("Khan Shaykhun", GOV, "captured", TUESDAY)]),
    ("Sarmin came under the control of HTS.", [("Sarmin", HTS, "fell to", TUESDAY)]),
    ("Rebels beat back a regime attack on Ariha.", [("Ariha", OPP, "beat back", TUESDAY)]),
    ("Syrian troops took back Saraqeb.", [("Saraqeb", GOV, "took", TUESDAY)]),
    (
        "Syrian troops backed by Russian jets and Hezbollah fighters captured Ariha.",
        [("Ariha", GOV, "captured", TUESDAY)],
    ),
    # passive voice
    ("Ariha was recaptured by regime forces on Monday.", [("Ariha", GOV, "recaptured", MONDAY)]),
    (
        "Rebels held Nairab until it was seized by regime forces.",
        [("Al-Nayrab", GOV, "seized", TUESDAY)],
    ),
    (
        "Saraqeb, after being taken by Syrian troops, was shelled.",
        [("Saraqeb", GOV, "took", TUESDAY)],
    ),
    # pronouns and earlier sentences
    ("Rebels advanced on Ariha. They retook it on Monday.", [("Ariha", OPP, "retook", MONDAY)]),
    (
        "Regime forces reached Sarmin. Two days later they captured the town.",
        [("Sarmin", GOV, "captured", TUESDAY)],
    ),
    (
        "Government forces lost Saraqeb to rebels, three weeks after capturing it.",
        [("Saraqeb", OPP, "lost", TUESDAY), ("Saraqeb", GOV, "captured", date(2020, 2, 4))],
    ),
]


@pytest.mark.parametrize(("text", "expected"), POSITIVE, ids=[p[0][:45] for p in POSITIVE])
def test_control_change(text: str, expected: list[Row]) -> None:
    assert _events(text) == expected


NEGATIVE = [
    "Rebels failed to capture Saraqeb.",
    "Rebel fighters tried to storm Nairab but failed to capture the town.",
    "The regime aims to retake the M4 highway before summer.",
    "Analysts say the army will struggle to take Jisr al-Shighour.",
    "Ariha could fall within days, a commander warned.",
    "Erdogan threatened to drive Syrian forces out of Idlib.",
    "Regime forces would have captured Saraqeb without Turkish artillery.",
    "If the regime takes Ariha, the road to the coast will be open.",
    "Rebels did not enter Saraqeb, the group said.",
    "Saraqeb has not fallen, a rebel commander insisted.",
    "Russia denied reports that rebels had recaptured Saraqeb.",
    "A commander denied that the army had entered Sarmin.",
    "Regime forces are advancing towards Ariha.",
    "Regime troops besieged Taftanaz on Friday.",
    "Government forces shelled Sarmin overnight.",
    "Syrian troops advanced towards Ariha after seizing several hills south of the town.",
    "Rebels plan to retake Maarat al-Numan.",
    "The army is expected to enter Ariha soon.",
    "It took rescuers six hours to reach the wounded in Atarib.",
    "Rebel commanders admitted they had lost control of Taftanaz.",
    "HTS withdrew from its positions around Binnish on Wednesday.",
    "The army has taken control of 25 villages in three days.",
    "Turkish artillery pounded regime positions near Saraqib.",
    "Rebels might recapture Saraqeb if Turkey helps.",
    "Syrian forces never captured Kafr Nabl, residents said.",
    "Regime forces are poised to seize Ariha.",
    "The rebels vowed to retake Saraqeb.",
    "Saraqeb was captured.",
    "Rebels repelled an attack east of Saraqeb.",
    "Regime forces took an area south of Sarmin.",
    "The Menagh base was held by rebels, who seized it in 2013, near Atarib.",
    "Rebels said an aid convoy entered Sarmin on Saturday.",
    "Seizing Ariha came after weeks of fighting by regime forces.",
    "Regime forces were barred from entering Saraqeb by the deal.",
    "Rebels retook an area in Saraqeb that fell to regime forces the day before.",
    "The rebel headquarters inside Sarmin was captured as regime forces pushed in.",
    "Regime forces shelled Idlib province, and rebels took control of the province's north.",
]


@pytest.mark.parametrize("text", NEGATIVE)
def test_not_a_control_change(text: str) -> None:
    assert _events(text) == []


def test_event_sentence_is_kept_for_traceability() -> None:
    extraction = Extractor(matchers=fake_matchers()).extract_text("HTS seized Ariha.", TUESDAY)
    assert extraction.events[0].sentence == "HTS seized Ariha."


# General constructions, written in several house styles (wire copy, monitor bulletins,
# Title Case headlines, text without commas or apostrophes). Dates are what the sentence
# says, resolved against a Tuesday article; month-only references are the 1st of the month.
SUNDAY, THURSDAY = date(2020, 2, 23), date(2020, 2, 20)
GENERAL: list[tuple[str, list[tuple[str, str, date]]]] = [
    (
        "Government troops, backed by Russian air power and Hezbollah fighters, regained control"
        " of Ariha on Monday.",
        [("Ariha", "government", MONDAY)],
    ),
    (
        "Regime forces, with Russian air support, overran Kafr Nabl.",
        [("Kafr Nabl", "government", TUESDAY)],
    ),
    (
        "Rebels stormed back into Nairab on Thursday. On Monday they recaptured it.",
        [("Al-Nayrab", "opposition", MONDAY)],
    ),
    (
        "Regime forces shelled the town. The factions retook Sarmin on Monday.",
        [("Sarmin", "opposition", MONDAY)],
    ),
    (
        "Regime forces took Binnish in early February.",
        [("Binnish", "government", date(2020, 2, 1))],
    ),
    (
        "Regime forces captured Khan Sheikhoun in August.",
        [("Khan Shaykhun", "government", date(2019, 8, 1))],
    ),
    (
        "Ariha fell to regime forces at the end of January.",
        [("Ariha", "government", date(2020, 1, 25))],
    ),
    (
        "Since the start of February, regime forces have taken control of Saraqeb and Nairab.",
        [
            ("Saraqeb", "government", date(2020, 2, 1)),
            ("Al-Nayrab", "government", date(2020, 2, 1)),
        ],
    ),
    (
        "Saraqeb has changed hands three times. Regime forces took it on 6 February, the factions"
        " retook it on 20 February, and the regime regained it on Monday.",
        [
            ("Saraqeb", "government", date(2020, 2, 6)),
            ("Saraqeb", "opposition", THURSDAY),
            ("Saraqeb", "government", MONDAY),
        ],
    ),
    ("Saraqeb was recaptured by regime forces on Monday.", [("Saraqeb", "government", MONDAY)]),
    ("Taftanaz was retaken by rebels last week.", [("Taftanaz", "opposition", date(2020, 2, 18))]),
    (
        "The recapture of Saraqeb by rebel fighters cut the M5.",
        [("Saraqeb", "opposition", TUESDAY)],
    ),
    (
        "The fall of Ariha to regime forces opened the road north.",
        [("Ariha", "government", TUESDAY)],
    ),
    ("HTS's capture of Atarib surprised analysts.", [("Atarib", "jihadist", TUESDAY)]),
    (
        "Having seized Taftanaz, regime forces pushed on towards Binnish.",
        [("Taftanaz", "government", TUESDAY)],
    ),
    (
        "Taftanaz, which rebels seized on Monday, was shelled overnight.",
        [("Taftanaz", "opposition", MONDAY)],
    ),
    (
        "Sarmin, captured by regime forces last week, lies east of Idlib.",
        [("Sarmin", "government", date(2020, 2, 18))],
    ),
    (
        "Turkish-backed fighters and HTS fighters took Nairab on Monday.",
        [("Al-Nayrab", "opposition", MONDAY)],
    ),
    (
        "Syrian troops wrested control of Kafr Nabl from rebels.",
        [("Kafr Nabl", "government", TUESDAY)],
    ),
    ("Regime forces stormed and captured Sarmin on Sunday.", [("Sarmin", "government", SUNDAY)]),
    (
        "State media said army units liberated Maarat al-Numan from terrorists.",
        [("Maarat al-Numan", "government", TUESDAY)],
    ),
    (
        "Regime forces were pushed out of Saraqeb by rebel fighters on Thursday.",
        [("Saraqeb", "opposition", THURSDAY)],
    ),
    (
        "HTS withdrew from Atarib, which regime forces then entered.",
        [("Atarib", "government", TUESDAY)],
    ),
    ("Rebels Retake Saraqeb", [("Saraqeb", "opposition", TUESDAY)]),
    ("Syrian Army Captures Maarat al-Numan", [("Maarat al-Numan", "government", TUESDAY)]),
    ("REBELS RETAKE SARAQEB AS TURKEY STEPS IN", [("Saraqeb", "opposition", TUESDAY)]),
    (
        "Regime forces took control of Ariha Sarmin and Binnish on Monday state media said",
        [
            ("Ariha", "government", MONDAY),
            ("Sarmin", "government", MONDAY),
            ("Binnish", "government", MONDAY),
        ],
    ),
    ("Regime forces took over Kafr Nabl on Monday.", [("Kafr Nabl", "government", MONDAY)]),
    (
        "Rebels held Sarmin until it fell to regime forces on Monday.",
        [("Sarmin", "government", MONDAY)],
    ),
    ("The army said its units had liberated Kafr Nabl.", [("Kafr Nabl", "government", TUESDAY)]),
    (
        "Regime forces and loyal militias regain control of Kafr Nabl amid Russian air strikes",
        [("Kafr Nabl", "government", TUESDAY)],
    ),
    (
        "Faction fighters managed to restore control over Nairab after clashes with regime forces.",
        [("Al-Nayrab", "opposition", TUESDAY)],
    ),
    (
        "The deal leaves the army in control of the areas it has captured since December,"
        " including Saraqeb.",
        [("Saraqeb", "government", date(2019, 12, 1))],
    ),
    (
        # a campaign's tally: who took the places, not the day they changed hands
        "The regime offensive has taken back swathes of territory, including Ariha and Sarmin.",
        [("Ariha", "government", None), ("Sarmin", "government", None)],
    ),
    (
        "Kafr Nabl, a town famed for its protest banners, fell to regime forces on Monday.",
        [("Kafr Nabl", "government", MONDAY)],
    ),
    (
        "Regime forces backed by Russia had already taken Khan Sheikhoun last August and"
        " Maarat al-Numan in January.",
        [
            ("Khan Shaykhun", "government", date(2019, 8, 1)),
            ("Maarat al-Numan", "government", date(2020, 1, 1)),
        ],
    ),
    (
        "Regime forces failed on Tuesday to retake Nairab, which they lost to rebels on Monday.",
        [("Al-Nayrab", "opposition", MONDAY)],
    ),
    (
        "Regime forces said they had captured 12 villages and the town of Kafr Nabl.",
        [("Kafr Nabl", "government", TUESDAY)],
    ),
    (
        "Rebels pushed into Nairab and by evening had wrested it from regime forces.",
        [("Al-Nayrab", "opposition", TUESDAY)],
    ),
    (
        "Regime forces are now in full control of Khan Sheikhoun, the army said.",
        [("Khan Shaykhun", "government", TUESDAY)],
    ),
    (
        "Army units restored security and stability to Maarat al-Numan, state media said.",
        [("Maarat al-Numan", "government", TUESDAY)],
    ),
    (
        "Since seizing Khan Sheikhoun the army has pushed north along the M5",
        [("Khan Shaykhun", "government", TUESDAY)],
    ),
    (
        "Rebels took Saraqeb last Thursday, two days after losing Nairab.",
        [("Saraqeb", "opposition", THURSDAY)],
    ),
]


@pytest.mark.parametrize(("text", "expected"), GENERAL, ids=[g[0][:45] for g in GENERAL])
def test_general_construction(text: str, expected: list[tuple[str, str, date]]) -> None:
    assert [(place, side, when) for place, (_, side), _, when in _events(text)] == expected


GENERAL_NEGATIVE = [
    "Rebels attempted to capture Saraqeb on Monday.",
    "Regime forces besieged Ariha and shelled Sarmin.",
    "Regime forces encircled Taftanaz on Monday.",
    "Rebels launched an offensive to retake Maarat al-Numan.",
    "Regime forces massed in a bid to capture Ariha.",
    "Ariha was expected to fall within days.",
    "Clashes in Saraqeb continued for a third day.",
    "The battle for Saraqeb has cost hundreds of lives.",
    "Will the rebels retake Saraqeb?",
    "We will liberate every inch of Idlib, Assad said.",
    "The army's advance took it through Kafr Nabl.",
    "Regime forces reached Ariha. The advance took them to the outskirts of Ariha.",
    "Rebels claimed they had entered Saraqeb but regime forces denied it.",
    "If rebels take Saraqeb, the M5 will be cut.",
    "The regime vowed to retake every town the rebels hold, including Saraqeb.",
    "Regime forces pounded the newly captured town of Saraqeb.",
    "Rebels may have entered Sarmin, a monitor said.",
    "Regime forces have not captured Ariha.",
    "Erdogan said Turkey would take Saraqeb back unless regime forces withdrew.",
    "Rebels fired rockets at regime forces in the liberated areas of Saraqeb.",
    "The army hopes to capture Ariha before the summit.",
    "Rebels tried and failed to retake Kafr Nabl.",
    "Displaced families returned to Sarmin after regime forces left.",
    "Regime forces said they repelled it near Sarmin.",
    "Rebels remain in control of Saraqeb.",
    "Rebels hope to restore control over Nairab.",
    "Regime forces and Russia want to regain control of Saraqeb.",
    "The fall of Ariha to regime forces would threaten the rebels in Idlib.",
    "Regime forces now control most of Ariha, a monitor said.",
    "Regime forces restored electricity to Sarmin.",
    "The army now controls most of the road south of Ariha, a monitor said.",
    "Rebels shelled the road between Aleppo and Latakia, which regime forces secured in May.",
    "Turkey sent troops to prevent the fall of Ariha to regime forces.",
]


@pytest.mark.parametrize("text", GENERAL_NEGATIVE)
def test_general_negative(text: str) -> None:
    assert _events(text) == []


# State reports of a recent change: the side holding the place, dated by the 'since'/'on'
# phrase; 'since' within a month of publication counts, a long-held state does not.
STATE_CHANGES: list[tuple[str, list[tuple[str, str, date]]]] = [
    (
        "Saraqeb has been under government control since Monday.",
        [("Saraqeb", "government", MONDAY)],
    ),
    (
        "Saraqeb has been under the control of regime forces since Monday a monitor said",
        [("Saraqeb", "government", MONDAY)],
    ),
    ("Sarmin is now under the control of rebels.", [("Sarmin", "opposition", TUESDAY)]),
    ("Sarmin is now under rebel control, a monitor said.", [("Sarmin", "opposition", TUESDAY)]),
    (
        "Ariha came under opposition control on Sunday.",
        [("Ariha", "opposition", date(2020, 2, 23))],
    ),
    ("Ariha came under regime control on Monday", [("Ariha", "government", MONDAY)]),
    (
        "Government forces have been in control of Saraqeb since 6 February.",
        [("Saraqeb", "government", date(2020, 2, 6))],
    ),
    (
        "Rebels have been in full control of Nairab since Monday",
        [("Al-Nayrab", "opposition", MONDAY)],
    ),
    # 'regained/restored their control of X' is a change; 'their control of X' alone is not.
    ("Rebels regained their control of Nairab.", [("Al-Nayrab", "opposition", TUESDAY)]),
    (
        "Rebels restored their control over Nairab on Monday.",
        [("Al-Nayrab", "opposition", MONDAY)],
    ),
    ("The army restored its control of Saraqeb", [("Saraqeb", "government", TUESDAY)]),
    # An agentless passive takes the previous sentence's fighting subject.
    (
        "Regime forces pushed into Saraqeb from the south. The town was retaken on Monday,"
        " state media said.",
        [("Saraqeb", "government", MONDAY)],
    ),
    # A fighting side entering, or a backer that also says it took the place, is a change.
    ("Rebels entered Nairab on Monday.", [("Al-Nayrab", "opposition", MONDAY)]),
    (
        "Turkish troops entered Sarmin and took control of it from regime forces.",
        [("Sarmin", "turkey", TUESDAY)],
    ),
    # A withdrawal followed by the other side's return hands the place back.
    (
        "Rebels entered Nairab on Monday. By the evening the factions withdrew from the town"
        " under air strikes and government forces returned to their positions.",
        [("Al-Nayrab", "opposition", MONDAY), ("Al-Nayrab", "government", TUESDAY)],
    ),
]


@pytest.mark.parametrize(
    ("text", "expected"), STATE_CHANGES, ids=[g[0][:45] for g in STATE_CHANGES]
)
def test_state_report_and_context(text: str, expected: list[tuple[str, str, date]]) -> None:
    assert [(place, side, when) for place, (_, side), _, when in _events(text)] == expected


STATE_NEGATIVE = [
    "Saraqeb remained under government control.",
    "Saraqeb has been under rebel control since 2012.",
    "Sarmin has been under opposition control since 2015 a monitor said",
    "Rebels have been in control of Ariha since 2015.",
    "Residents fled to areas under government control.",
    "Saraqeb is under government control.",
    "Saraqeb has been under government control.",
    "Rebels consolidated their control of Nairab.",
    "Their control of Nairab is fragile, a commander said.",
    "Saraqeb was retaken on Monday, state media said.",
    "Residents fled Saraqeb. Saraqeb was retaken on Monday, state media said.",
    "Russian military police entered Saraqeb on Monday.",
    "Turkish troops entered Sarmin to reinforce the rebels.",
    "Turkish troops entered Sarmin on Monday.",
    "A Turkish convoy entered Sarmin to set up an observation post.",
    "Rebels said a UN aid convoy entered Ariha on Monday.",
    "Syrian troops entered Saraqeb to deploy along the highway.",
    "Russian patrols entered Saraqeb on Monday",
    "HTS withdrew from Atarib and displaced families returned.",
]


@pytest.mark.parametrize("text", STATE_NEGATIVE)
def test_state_or_deployment_is_not_a_change(text: str) -> None:
    assert _events(text) == []
