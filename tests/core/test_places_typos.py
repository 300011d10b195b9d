"""Typo matching must not turn a real (or plausible) name into a near-by profile place."""

from __future__ import annotations

import pytest

from core.extract.matching import get_matchers
from core.extract.places import PlaceMatcher
from core.profile import load_profile


@pytest.fixture(scope="module")
def places() -> PlaceMatcher:
    return get_matchers(load_profile())[0]  # type: ignore[return-value]


def found(places: PlaceMatcher, text: str) -> list[str]:
    return [m.place for m in places.find(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # villages of the 2019-2020 offensive that GeoNames lacks, in several spellings
        ("Shells fell on Hass overnight.", ["Hass"]),
        ("Troops moved on Tqad and Taqad.", ["Tqad", "Tqad"]),
        ("Clashes near Hayan and Hayyan.", ["Hayan", "Hayan"]),
        ("Raids on Maar Dibsi and Maarrat Dibsi.", ["Maar Dibsi", "Maar Dibsi"]),
        ("Raids on Maar Shamarin and Maarshamarin.", ["Maar Shamarin", "Maar Shamarin"]),
        # a real place next to a profile name keeps its own name
        ("Jets struck Kafr Amma at dawn.", ["Kafr Amma"]),
        ("Fighting reached Sarrin.", ["Sarrin"]),
        # a changed initial is another name, not a slip ("Kafr Amr" is not Kafr Hamra)
        ("They met in Kafr Amr.", []),
        ("They met in Baftanaz.", []),
        # real typos that keep each word's initial are still read
        ("Shelling on Sarqeb and Khan Shekhoun.", ["Saraqeb", "Khan Shaykhun"]),
        ("Families left Maaret Alnouman.", ["Maarat al-Numan"]),
        # an inflected function word is no short place name
        ("Has the army entered the town?", []),
    ],
)
def test_typos_and_real_names(places: PlaceMatcher, text: str, expected: list[str]) -> None:
    assert found(places, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sarin was used, inspectors said.", []),
        ("Richard Haass said talks would fail.", []),
        ("Strikes hit the village of Hass and Haas school.", ["Hass", "Hass"]),
        ("Gunmen attacked the Jabal Hayyan gas field.", ["Jabal Hayyan"]),
    ],
)
def test_words_that_fold_onto_a_new_place(
    places: PlaceMatcher, text: str, expected: list[str]
) -> None:
    assert found(places, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # a name lacking a syllable of a profile name is another place
        "Shells fell on the Mahatta district.",
        "Tanks shelled Tal Madiq at dawn.",
        "ISIL held the al-Kassarat area.",
        "Air strikes hit Maardes overnight.",
        # a short distinctive word that differs in a consonant is another village
        "Rebels shelled Kafar Naya.",
        "Fighting reached Khan al-Assad.",
        "Strikes hit the al-Zaidiyeh quarter.",
        # people's names close to a place's name
        "Col. Abdul Jabbar Akidi spoke.",
        "The correspondent Hassan Muhanna was killed.",
        "Said Seif al Qalamoni of the brigade said.",
    ],
)
def test_another_name_is_no_typo(places: PlaceMatcher, text: str) -> None:
    assert found(places, text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Shelling hit Saraqueb.", ["Saraqeb"]),
        ("Families fled Maarat al-Nouman.", ["Maarat al-Numan"]),
        ("Clashes in Jisr al-Shugour.", ["Jisr al-Shighour"]),
        ("Strikes on Kafranbel.", ["Kafr Nabl"]),
        # vowels only, a possessive without its apostrophe, one slip in a long word
        ("Jets struck Tafatnaz and Taftanas.", ["Taftanaz", "Taftanaz"]),
        ("Jets hit Hasakahs outskirts.", ["Hasakah"]),
        # a misspelt shared name goes by context as the right spelling does
        ("Jets pounded Idlibs countryside.", ["Idlib Governorate"]),
        ("Idlibs population has grown.", ["Idlib Governorate"]),
        ("Shells hit Idlibs city centre.", ["Idlib"]),
        ("Clashes near Tal Toughan.", ["Tell Tuqan"]),
        ("Troops entered Khan Skeikhoun.", ["Khan Shaykhun"]),
        ("The road to Abu Alduhour was cut.", ["Abu al-Duhur"]),
        # a slip in the generic word of a name ("Deir") leaves the distinctive one
        ("Strikes on Deiz ez-Zor.", ["Deir ez-Zor"]),
    ],
)
def test_real_typos_still_match(places: PlaceMatcher, text: str, expected: list[str]) -> None:
    assert found(places, text) == expected
