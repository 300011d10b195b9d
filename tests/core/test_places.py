"""Place matching on the Idlib profile: spellings, articles, typos, hard negatives, context."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.extract.matching import get_matchers
from core.extract.places import PlaceMatcher
from core.profile import load_profile

PROFILE = load_profile()


@pytest.fixture(scope="module")
def places() -> PlaceMatcher:
    return get_matchers(PROFILE)[0]


def found(places: PlaceMatcher, text: str) -> list[str]:
    return [m.place for m in places.find(text)]


def alias_cases() -> list[tuple[str, str]]:
    """Every spelling the profile lists for every tracked place (in a neutral sentence)."""
    cases = []
    for place in PROFILE.tracked_places():
        for alias in [place.name, *place.aliases]:
            bare_idlib = place.name == "Idlib" and "city" not in alias.lower()
            cases.append((alias, "Idlib Governorate" if bare_idlib else place.name))
    return cases


@pytest.mark.parametrize(("alias", "canonical"), alias_cases())
def test_every_listed_spelling_of_a_tracked_place(
    places: PlaceMatcher, alias: str, canonical: str
) -> None:
    text = f"Fighting was reported on Monday in {alias} and nearby villages."
    assert found(places, text) == [canonical]


# Spellings that are NOT listed in the profile: the folding must reach them.
VARIANTS = [
    ("Ma‘arrat al-Nu‘mān", "Maarat al-Numan"),
    ("Maarat an-Nouman", "Maarat al-Numan"),
    ("Maarrat el-Numan", "Maarat al-Numan"),
    ("MAARAT AL-NUMAN", "Maarat al-Numan"),
    ("Sarāqib", "Saraqeb"),
    ("Saraqib", "Saraqeb"),
    ("Sarakib", "Saraqeb"),
    ("Khan Shaykhoun", "Khan Shaykhun"),
    ("Khan Cheikhoun", "Khan Shaykhun"),
    ("Khan Sheikhoon", "Khan Shaykhun"),
    ("Jisr esh-Shughour", "Jisr al-Shighour"),
    ("Jisr el-Shoghour", "Jisr al-Shighour"),
    ("Jisr Al Shughur", "Jisr al-Shighour"),
    ("Jabal Az-Zawiyah", "Jabal al-Zawiya"),
    ("Jebel el-Zawiya", "Jabal al-Zawiya"),
    ("an-Nayrab", "Al-Nayrab"),
    ("el-Nairab", "Al-Nayrab"),
    ("Al Neirab", "Al-Nayrab"),
    ("Kafr Nubl", "Kafr Nabl"),
    ("Kafar Nubl", "Kafr Nabl"),
    ("al-Atareb", "Atarib"),
    ("Binnesh", "Binnish"),
    ("Benesh", "Binnish"),
    ("Sarmeen", "Sarmin"),
    ("Areeha", "Ariha"),
    ("Taftanāz", "Taftanaz"),
    ("Bab al-Hawā", "Bab al-Hawa"),
    ("Bab el Hawa", "Bab al-Hawa"),
    ("Bab as-Salama", "Bab al-Salam"),
    ("Maarrat Misreen", "Maarat Misrin"),
    ("Idleb city", "Idlib"),
    ("Lattakia", "Latakia"),
    ("Deir al-Zour", "Deir ez-Zor"),
    ("Dayr az-Zawr", "Deir ez-Zor"),
    ("ar-Raqqa", "Raqqa"),
    ("Raqqah", "Raqqa"),
    ("Ras al-Ayn", "Ras al-Ain"),
    ("Douma", "Douma"),
    ("Jarabulus", "Jarablus"),
    ("سراقب", "Saraqeb"),
    # Arabic script: 'and', 'in', 'to' written onto the name; places GeoNames lacks
    ("وسراقب", "Saraqeb"),
    ("وبسراقب", "Saraqeb"),
    ("والنيرب", "Al-Nayrab"),
    ("وحلب", "Aleppo"),
    ("وبليون", "Balyun"),
    ("جسر الشغور", "Jisr al-Shighour"),
    ("معبر باب الهوى", "Bab al-Hawa"),
    ("Mount Zawiya", "Jabal al-Zawiya"),
]


@pytest.mark.parametrize(("spelling", "canonical"), VARIANTS)
def test_unlisted_spellings_fold_to_the_place(
    places: PlaceMatcher, spelling: str, canonical: str
) -> None:
    assert found(places, f"Shelling hit {spelling} overnight.") == [canonical]


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("Turkey-backed rebels pushed towards Sarqeb on Tuesday.", "Saraqeb"),
        ("Government troops entered Saraqeeb.", "Saraqeb"),
        ("Strikes hit Taftanazz again.", "Taftanaz"),
        ("Displaced families left Binnishh.", "Binnish"),
        ("The front line reached Khan Shaykhunn.", "Khan Shaykhun"),
    ],
)
def test_small_typos_of_profile_places(places: PlaceMatcher, text: str, canonical: str) -> None:
    assert found(places, text) == [canonical]


# Ordinary English (or people's names) that must never read as a place.
NEGATIVES = [
    "She sang an aria at the opera.",
    "The harem scene was cut from the film.",
    "That is a tall order for the negotiators.",
    "dana and her brother left early.",
    "The hass avocado harvest was poor.",
    "mari was not at home.",
    "A sermon was given at the mosque.",
    "Sermon notes were handed out.",
    "Tall buildings collapsed.",
    "Tell me what happened.",
    "The khan of the tribe spoke.",
    "He wrote it in al fresco style.",
    "The bus stopped at the depot.",
    "An old man waited.",
    "As the sun rose, the shelling stopped.",
    "At dawn the convoy moved.",
    "The ad ran in every newspaper.",
    "The sheikh prayed.",
    "The deal was signed.",
    "They walked along the border.",
    "Sham elections were held in the capital.",
    "A dana tree stood there.",
    "The deir was empty.",
    "The nawa was lower case.",
    "The salma leaves were green.",
    "Aria Stark is a character.",
    "Idle talk helps nobody.",
    "The idol was stolen.",
    "Bab is a first name too? bab.",
    "The sarin attack was condemned.",
    "Sarin was used, inspectors said.",
    "The armin of the village spoke.",
    "The hamster escaped.",
    "Humus and bread were served.",
    "Harm was done to civilians.",
    "The harms of war are many.",
    "Ramadan began on Friday.",
    "Mosul and Baghdad are in Iraq.",
    "Istanbul hosted the summit.",
    "Ankara and Moscow agreed a deal.",
    "Hatay governor spoke to reporters.",
    "Gaziantep hospitals received the wounded.",
    "Reyhanli is on the Turkish side.",
    "The Tigris flows south.",
    "Beirut and Amman are capitals.",
    "Lebanon and Jordan host refugees.",
    "The mayor met the press.",
    "Marat was a French revolutionary.",
    "Hassan said he would return.",
    "Karim and Salim were arrested.",
    "Mohammed Ali boxed in Zaire.",
    "The Arab League met in Cairo.",
    "Kurds celebrated Nowruz.",
    "The Euphrates Shield operation ended.",
    "north-west Syria is home to millions.",
    "m4 in lower case is not a road here.",
    "He scored 4-4 at home.",
    "The UN Security Council met.",
    "The Free Syrian Army fought on.",
    "Hayat Tahrir al-Sham controls the area.",
    "Faylaq al-Sham fighters withdrew.",
    "The Islamic State of Iraq and al-Sham declared a caliphate.",
    "Bilad al-Sham is the old name of the Levant.",
    "Dana White said the fight was off.",
]


@pytest.mark.parametrize("text", NEGATIVES)
def test_ordinary_words_are_not_places(places: PlaceMatcher, text: str) -> None:
    assert found(places, text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Strikes hit Idlib on Monday.", ["Idlib Governorate"]),
        ("Strikes hit Idlib city on Monday.", ["Idlib"]),
        ("Strikes hit the city of Idlib on Monday.", ["Idlib"]),
        ("Strikes hit Idleb city.", ["Idlib"]),
        ("Strikes hit Idlib province.", ["Idlib Governorate"]),
        ("Strikes hit the Idlib countryside.", ["Idlib Governorate"]),
        ("Strikes hit southern Idlib.", ["Idlib Governorate"]),
        ("Strikes hit north-west Syria's Idlib.", ["Idlib Governorate"]),
        ("Strikes hit Idlib governorate.", ["Idlib Governorate"]),
        ("Strikes hit the Idlib region.", ["Idlib Governorate"]),
        ("Strikes hit Aleppo.", ["Aleppo"]),
        ("Strikes hit western Aleppo.", ["Aleppo Governorate"]),
        ("Strikes hit the Aleppo countryside.", ["Aleppo Governorate"]),
        ("Strikes hit Aleppo province.", ["Aleppo Governorate"]),
        ("Strikes hit rural Aleppo.", ["Aleppo Governorate"]),
        ("Strikes hit Aleppo's western suburbs.", ["Aleppo"]),
        (
            "Clashes in western Aleppo and Idlib provinces.",
            ["Aleppo Governorate", "Idlib Governorate"],
        ),
        ("Hama was quiet.", ["Hama"]),
        ("Northern Hama province was shelled.", ["Hama Governorate"]),
        ("Fighting in the Latakia countryside.", ["Latakia Governorate"]),
        ("Rockets hit Latakia.", ["Latakia"]),
        ("Raids on Homs.", ["Homs"]),
        ("Raids in Homs province.", ["Homs Governorate"]),
        ("Deir ez-Zor was besieged.", ["Deir ez-Zor"]),
        ("The Deir ez-Zor countryside was bombed.", ["Deir ez-Zor Governorate"]),
        ("Raqqa fell.", ["Raqqa"]),
        ("Daraa city is calm.", ["Daraa"]),
        ("Rebels left Daraa province.", ["Daraa Governorate"]),
    ],
)
def test_city_or_governorate_from_context(
    places: PlaceMatcher, text: str, expected: list[str]
) -> None:
    assert found(places, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Maarat al-Numan fell.", ["Maarat al-Numan"]),
        ("Idlib Governorate is home to 3 million.", ["Idlib Governorate"]),
        ("Khan Shaykhun was retaken.", ["Khan Shaykhun"]),
        ("Convoys crossed Bab al-Hawa crossing.", ["Bab al-Hawa"]),
        ("They drove along the M4 highway.", ["M4 highway"]),
        ("They drove along the Aleppo-Latakia highway.", ["M4 highway"]),
        ("They drove along the Damascus-Aleppo highway.", ["M5 highway"]),
        ("Jisr al-Shighour and Jabal al-Zawiya.", ["Jisr al-Shighour", "Jabal al-Zawiya"]),
        ("Maarat Misrin, not Maarat al-Numan.", ["Maarat Misrin", "Maarat al-Numan"]),
    ],
)
def test_longest_name_wins(places: PlaceMatcher, text: str, expected: list[str]) -> None:
    assert found(places, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Damascus and Moscow now want the M4 highway reopened.", ["M4 highway"]),
        ("Damascus relaunched its offensive.", []),
        ("Moscow's air power helped Damascus.", []),
        ("Shells fell on Damascus on Monday.", ["Damascus"]),
        ("Damascus Mar 10 SANA: two civilians were injured.", ["Damascus"]),
        ("Life in Damascus is hard.", ["Damascus"]),
    ],
)
def test_a_capital_that_acts_is_not_a_place(
    places: PlaceMatcher, text: str, expected: list[str]
) -> None:
    assert found(places, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Syrian rebels fought off an advance into Al-Nayrab early Tuesday.",
        "Idleb: strikes on an-Nayrab, Saraqib and Jisr ash-Shughur; Idlib's hospitals full.",
        "«Ma‘arrat al-Nu‘mān» — and Bab el-Hawa — were hit. Sarqeb too.",
        "Aleppo’s countryside and Raqqa's outskirts\nwere shelled.",
    ],
)
def test_offsets_point_at_the_surface(places: PlaceMatcher, text: str) -> None:
    mentions = places.find(text)
    assert mentions
    for m in mentions:
        assert text[m.start : m.end] == m.surface


def test_hyphenated_article_is_part_of_the_surface(places: PlaceMatcher) -> None:
    [mention] = places.find("Rebels entered an-Nayrab.")
    assert mention.surface == "an-Nayrab"
    [mention] = places.find("Rebels entered Nayrab's outskirts.")
    assert mention.surface == "Nayrab"


def test_every_mention_is_found_with_its_position(places: PlaceMatcher) -> None:
    text = "Saraqeb, then Saraqib, then Nairab and Saraqeb again."
    mentions = places.find(text)
    assert [m.place for m in mentions] == ["Saraqeb", "Saraqeb", "Al-Nayrab", "Saraqeb"]
    assert [m.start for m in mentions] == [0, 14, 28, 39]


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        ("Idlib", "Idlib"),
        ("idlib governorate", "Idlib Governorate"),
        ("Idleb province", "Idlib Governorate"),
        ("Saraqib", "Saraqeb"),
        ("Nairab", "Al-Nayrab"),
        ("Douma", "Douma"),
        ("Palmyra", "Palmyra"),
        ("Tadmur", "Palmyra"),
        ("Khān Shaykhūn", "Khan Shaykhun"),
        ("Al Bab", "Al-Bab"),
        ("Manbij", "Manbij"),
        ("Salqin", "Salqin"),
    ],
)
def test_lookup_resolves_any_spelling(places: PlaceMatcher, name: str, canonical: str) -> None:
    place = places.lookup(name)
    assert place is not None and place.name == canonical


def test_lookup_of_an_unknown_name_is_none(places: PlaceMatcher) -> None:
    assert places.lookup("Springfield") is None
    assert places.lookup("") is None


def test_places_are_deduplicated_with_gazetteer_data_merged(places: PlaceMatcher) -> None:
    everything = places.places()
    names = [p.name for p in everything]
    assert len(names) == len(set(names))
    saraqeb = next(p for p in everything if p.name == "Saraqeb")
    assert saraqeb.tracked and saraqeb.lat is not None and saraqeb.population
    assert "Saraqib" not in names  # the GeoNames entry was merged into the profile one
    assert len(everything) > 300
    assert {"Suran", "Suran (Aleppo)"} <= set(names)  # two GeoNames places, one name


def test_finds_gazetteer_only_places(places: PlaceMatcher) -> None:
    assert found(places, "Clashes near Manbij and Al Mayadin.") == ["Manbij", "Al Mayadin"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Families sheltered near ad-Dana.", ["Dana"]),
        ("Raids on al-Bab.", ["Al-Bab"]),
        ("Harem was shelled.", ["Harem"]),
    ],
)
def test_spellings_the_profile_lists_are_trusted(
    places: PlaceMatcher, text: str, expected: list[str]
) -> None:
    assert found(places, text) == expected


def test_empty_text(places: PlaceMatcher) -> None:
    assert places.find("") == []


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_find_never_raises_and_offsets_are_valid(text: str) -> None:
    places = get_matchers(PROFILE)[0]
    for m in places.find(text):
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start : m.end] == m.surface


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["Idlib", "al-", "Saraqeb", " ", "-", "'s", "Nayrab", "\n", "é", "ʿ", "M4"]
        ),
        max_size=30,
    )
)
def test_find_on_name_fragments_keeps_offsets_valid(parts: list[str]) -> None:
    text = "".join(parts)
    for m in get_matchers(PROFILE)[0].find(text):
        assert text[m.start : m.end] == m.surface


def test_long_repetitive_text_finds_every_mention(places: PlaceMatcher) -> None:
    text = "Maarat al-Numan and Idlib city; " * 5000
    mentions = places.find(text)
    assert len(mentions) == 10000
    assert {m.place for m in mentions} == {"Maarat al-Numan", "Idlib"}
    assert text[mentions[-1].start : mentions[-1].end] == "Idlib city"
