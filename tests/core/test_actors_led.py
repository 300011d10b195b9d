"""Leader and sponsor hyphen words, unarmed actors before a military noun, control phrases."""

from __future__ import annotations

import pytest

from core.extract.actors import ActorMatcher
from core.extract.matching import get_matchers
from core.profile import load_profile


@pytest.fixture(scope="module")
def actors() -> ActorMatcher:
    return get_matchers(load_profile())[1]


def found(actors: ActorMatcher, text: str) -> list[str]:
    return [m.actor for m in actors.find(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "<X>-led/-linked/-affiliated <group>": X's own people, not the generic opposition
        ("Nusra-led insurgents shelled the town.", ["Hayat Tahrir al-Sham"]),
        ("Nusra-led rebels held the hill.", ["Hayat Tahrir al-Sham"]),
        ("HTS-affiliated factions withdrew.", ["Hayat Tahrir al-Sham"]),
        ("IS-linked cells attacked a checkpoint.", ["Islamic State"]),
        ("A US-led coalition struck the area.", ["United States"]),
        ("The Nusra-led push stalled.", ["Hayat Tahrir al-Sham"]),
        (
            "Al-Qaeda-linked fighters and rebels clashed.",
            ["Hayat Tahrir al-Sham", "Syrian opposition"],
        ),
        # a sponsor's proxy is still the proxy only
        ("Turkey-backed rebels advanced.", ["Syrian National Army"]),
        ("Kurdish-led SDF units deployed.", ["Syrian Democratic Forces"]),
        # a dateline with no commas: the agency is not the army's owner
        ("Damascus Mar 2 SANA Army units restored security.", ["SANA", "Syrian government"]),
        (
            "Damascus SANA Syrian Observatory figures differ.",
            ["SANA", "Syrian Observatory for Human Rights"],
        ),
        # who holds a place
        ("The village is in government hands.", ["Syrian government"]),
        ("The village remained in regime hands.", ["Syrian government"]),
        ("Saraqeb came under government control.", ["Syrian government"]),
        ("Government-controlled areas were calm.", ["Syrian government"]),
        ("Areas under Turkish government control.", ["Turkey"]),
    ],
)
def test_led_proxies_datelines_and_holders(
    actors: ActorMatcher, text: str, expected: list[str]
) -> None:
    assert found(actors, text) == expected
