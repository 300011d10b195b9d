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
