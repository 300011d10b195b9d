"""Actor references outlets use that the canonical names do not spell out."""

from __future__ import annotations

import pytest

from core.extract.actors import ActorMatcher
from core.extract.matching import get_matchers
from core.profile import load_profile

PROFILE = load_profile()


@pytest.fixture(scope="module")
def actors() -> ActorMatcher:
    return get_matchers(PROFILE)[1]


def found(actors: ActorMatcher, text: str) -> list[str]:
    return [m.actor for m in actors.find(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The Syrian regime's artillery pounded the hills.", ["Syrian government"]),
        ("Pro-Assad militias dug in along the road.", ["Syrian government"]),
        ("Loyalist forces dug in along the road.", ["Syrian government"]),
        ("Russian-backed forces dug in along the road.", ["Syrian government"]),
        ("Government-backed militias dug in along the road.", ["Syrian government"]),
        ("The Tiger Forces dug in along the road.", ["Syrian government"]),
        ("The 4th Division dug in along the road.", ["Syrian government"]),
        ("The Republican Guard dug in along the road.", ["Syrian government"]),
        ("The Syrian Arab Army dug in along the road.", ["Syrian government"]),
        # UN situation reports: 'Government of Syria (GoS)' and 'non-state armed groups (NSAGs)'
        ("Government of Syria forces dug in along the road.", ["Syrian government"]),
        ("Non-state armed groups dug in along the road.", ["Syrian opposition"]),
        ("NSAGs dug in along the road.", ["Syrian opposition"]),
        # capitals joined by 'and': both act as objects of a verb, neither after 'to'
        ("Erdogan warned Moscow and Damascus to stop.", ["Turkey", "Russia", "Syrian government"]),
        ("The road links Aleppo to Latakia and Damascus.", []),
        ("the syrian army dug in along the road.", ["Syrian government"]),
        ("SYRIAN ARMY DIGS IN", ["Syrian government"]),
        ("A Russian-led push stalled.", ["Russia"]),
        ("The Turkish military sent a convoy.", ["Turkey"]),
        ("Turkish-backed opposition fighters advanced.", ["Syrian National Army"]),
        ("Iranian militias reinforced the base.", ["Iran-backed militias"]),
        ("Al-Qaeda-linked militants shelled the base.", ["Hayat Tahrir al-Sham"]),
        ("The Nusra Front shelled the base.", ["Hayat Tahrir al-Sham"]),
        ("Jabhat Fateh al-Sham shelled the base.", ["Hayat Tahrir al-Sham"]),
        ("Hayat Tahreer al-Sham shelled the base.", ["Hayat Tahrir al-Sham"]),
        ("Ahrar al-Sham shelled the base.", ["National Front for Liberation"]),
        ("Failaq al-Sham shelled the base.", ["National Front for Liberation"]),
        ("Jaish al-Nasr shelled the base.", ["National Front for Liberation"]),
        ("Jaysh al-Izza shelled the base.", ["Syrian opposition"]),
        ("Jaish al-Islam shelled the base.", ["Syrian opposition"]),
        ("Opposition groups shelled the base.", ["Syrian opposition"]),
        ("The YPG/PKK shelled the base.", ["Syrian Democratic Forces"]),
        ("Daesh shelled the base.", ["Islamic State"]),
        ("Coalition jets struck the base.", ["United States"]),
        ("The US-led coalition struck the base.", ["United States"]),
        ("State media said the army held the town.", ["SANA", "Syrian government"]),
        ("Syrian insurgents shelled the base.", ["Syrian opposition"]),
    ],
)
def test_references_by_description(actors: ActorMatcher, text: str, expected: list[str]) -> None:
    assert found(actors, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # Bare "jihadists" covers HTS, Hurras al-Din, TIP and IS alike: no actor is guessed.
        "Jihadists attacked the post.",
        "The coalition government fell.",
        "Syrian refugees crossed the border.",
        "hts in lower case is not the group.",
        # another country's state media is not Syria's (SANA)
        "Turkish state media said the strike killed 34 soldiers.",
        "Russian state television showed the town.",
        # a capital described as a place does not act
        "Moscow is far from Idlib.",
        "Damascus lies 300 km south of Aleppo.",
    ],
)
def test_vague_references_name_nobody(actors: ActorMatcher, text: str) -> None:
    assert found(actors, text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a holder named before "-held"/"-controlled" is listed, as "rebel-held" lists rebels
        ("Civilians fled IS-held villages.", ["Islamic State"]),
        ("Civilians fled HTS-controlled areas.", ["Hayat Tahrir al-Sham"]),
        ("Civilians fled SDF-run camps.", ["Syrian Democratic Forces"]),
        # backers are not the actor named
        ("Turkey-backed rebels advanced.", ["Syrian National Army"]),
        ("Iran-backed militias advanced.", ["Iran-backed militias"]),
        ("Officials of the Damascus regime arrived.", ["Syrian government"]),
    ],
)
def test_holders_and_backers(actors: ActorMatcher, text: str, expected: list[str]) -> None:
    assert found(actors, text) == expected


def test_a_description_never_spans_a_sentence_end(actors: ActorMatcher) -> None:
    mentions = actors.find("Jets hit Damascus. Regime forces advanced.")
    assert [(m.actor, m.surface) for m in mentions] == [("Syrian government", "Regime forces")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("russian jets pounded the town.", ["Russia"]),
        ("turkish troops crossed the border.", ["Turkey"]),
        ("hayat tahrir al-sham fighters withdrew.", ["Hayat Tahrir al-Sham"]),
        ("the security council met.", []),  # every word ordinary English
        ("a turkish delight and russian roulette.", []),  # no military noun
        ("syrian refugees fled.", []),
    ],
)
def test_lower_case_text(actors: ActorMatcher, text: str, expected: list[str]) -> None:
    assert found(actors, text) == expected
