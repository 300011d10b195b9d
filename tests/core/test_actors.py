"""Actor matching on the Idlib profile: names, capitals that act, adjectives, descriptions."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
        # capitals acting
        (
            "Damascus and Moscow now want the M4 highway reopened.",
            ["Syrian government", "Russia"],
        ),
        ("Damascus relaunched its offensive in December.", ["Syrian government"]),
        ("Moscow's air power has proven indispensable.", ["Russia"]),
        ("The regime is a staunch ally of Damascus.", ["Syrian government", "Syrian government"]),
        ("An agreement between Moscow and Ankara collapsed.", ["Russia", "Turkey"]),
        ("Ankara said two soldiers died.", ["Turkey"]),
        ("Tehran urged Ankara to show restraint.", ["Iran", "Turkey"]),
        ("A deal brokered by Washington held.", ["United States"]),
        ("The Damascus-Moscow alliance held firm.", ["Syrian government", "Russia"]),
        ("Washington was looking at ways to help.", ["United States"]),
        ("Ankara also said it would retaliate.", ["Turkey"]),
        # capitals as places
        ("Talks were held in Moscow on Thursday.", []),
        ("He might meet Putin either in Istanbul or in Ankara.", ["Russia"]),
        ("The envoy flew to Moscow.", []),
        ("Refugees arrived from Ankara.", []),
        ("Damascus Mar 10 SANA two civilians were injured.", ["SANA"]),
        ("The Moscow deal set up a corridor.", []),
        ("Life in Damascus goes on.", []),
        ("Shells fell on Damascus's suburbs.", []),
        ("The ceasefire agreed in Moscow took effect.", []),
    ],
)
def test_capitals_count_only_where_they_act(
    actors: ActorMatcher, text: str, expected: list[str]
) -> None:
    assert found(actors, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Russian jets struck the market.", ["Russia"]),
        ("Russian air strikes killed five.", ["Russia"]),
        ("Turkish troops entered the town.", ["Turkey"]),
        ("The Turkish defence ministry said so.", ["Turkey"]),
        ("Russian and Syrian warplanes pounded villages.", ["Russia", "Syrian government"]),
        ("Joint Russian-Turkish patrols began.", ["Russia", "Turkey"]),
        ("Iranian military advisers were hit.", ["Iran"]),
        ("Syrian forces advanced.", ["Syrian government"]),
        ("Syrian shelling killed three.", ["Syrian government"]),
        ("A Syrian military source said.", ["Syrian government"]),
        ("The Turkish leader spoke.", ["Turkey"]),
        ("French President Macron called.", ["France", "France"]),
        ("American troops withdrew.", ["United States"]),
        ("German Chancellor Merkel called.", ["Germany", "Germany"]),
        # adjectives without a military or state noun
        ("Syrian refugees crossed the border.", []),
        ("Syrian civilians fled.", []),
        ("Syrian children were hurt.", []),
        ("Russian cuisine is hearty.", []),
        ("A Turkish friend helped.", []),
        ("They fled to the Turkish border.", []),
        ("Turkish-backed fighters recaptured the town.", ["Syrian National Army"]),
        ("Iranian-backed fighters were blamed.", ["Iran-backed militias"]),
        ("Kurdish-led SDF units deployed.", ["Syrian Democratic Forces"]),
    ],
)
def test_adjectives_need_a_military_or_state_noun(
    actors: ActorMatcher, text: str, expected: list[str]
) -> None:
    assert found(actors, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Turkey-backed rebels pushed north.", ["Syrian National Army"]),
        ("Turkey-backed Syrian rebels took Afrin.", ["Syrian National Army"]),
        ("The US-backed Syrian Democratic Forces captured Raqqa.", ["Syrian Democratic Forces"]),
        ("Regime forces shelled the town.", ["Syrian government"]),
        ("Pro-regime militias advanced.", ["Syrian government"]),
        ("Pro-government forces regained the village.", ["Syrian government"]),
        ("Assad's forces began shelling.", ["Syrian government"]),
        ("Opposition fighters pulled out.", ["Syrian opposition"]),
        ("Insurgents attacked a checkpoint.", ["Syrian opposition"]),
        ("The Free Syrian Army fought on.", ["Syrian opposition"]),
        ("Uighur fighters hold the town.", ["Turkistan Islamic Party"]),
        ("A Britain-based war monitor reported it.", ["Syrian Observatory for Human Rights"]),
        ("The Observatory said 20 died.", ["Syrian Observatory for Human Rights"]),
        ("Civil defence volunteers dug through rubble.", ["White Helmets"]),
        ("State media reported the capture.", ["SANA"]),
        ("The state news agency reported it.", ["SANA"]),
        ("Pro-opposition media said the attack failed.", []),
        ("Pro-government media claimed victory.", []),
        ("Nusra Front fighters seized Ariha.", ["Hayat Tahrir al-Sham"]),
        ("Daesh terrorists were killed.", ["Islamic State"]),
        ("YPG fighters withdrew.", ["Syrian Democratic Forces"]),
        ("Hezbollah said it lost nine fighters.", ["Hezbollah"]),
        ("The army entered the town.", ["Syrian government"]),
        ("The US army left the base.", ["United States"]),
        ("The Turkish army lost 33 soldiers.", ["Turkey"]),
        ("The Lebanese army closed the border.", []),
        ("Houthi rebels fired a missile.", []),
        ("Idlib rebels held the line.", ["Syrian opposition"]),
        ("The EU extended its sanctions regime.", ["European Union"]),
        ("The regime shelled Ariha.", ["Syrian government"]),
    ],
)
def test_descriptions_and_longest_reference(
    actors: ActorMatcher, text: str, expected: list[str]
) -> None:
    assert found(actors, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Putin and Erdogan met.", ["Russia", "Turkey"]),
        ("President Bashar al-Assad spoke.", ["Syrian government"]),
        ("Assad's control slipped.", ["Syrian government"]),
        ("Mark Cutts told reporters.", ["OCHA"]),
        ("Lowcock warned of a bloodbath.", ["OCHA"]),
        ("Abu Mohammad al-Jolani appeared in a video.", ["Hayat Tahrir al-Sham"]),
        ("Mazloum Abdi said talks continue.", ["Syrian Democratic Forces"]),
        ("Rami Abdel Rahman said 19 died.", ["Syrian Observatory for Human Rights"]),
        ("Raed al-Saleh thanked volunteers.", ["White Helmets"]),
        ("Yusef Hamoud, the spokesman, confirmed it.", ["Syrian National Army"]),
        ("Naji Mustafa said the attack was repelled.", ["National Front for Liberation"]),
        ("James Jeffrey visited Ankara.", ["United States"]),
        ("Guterres called for a ceasefire.", ["United Nations"]),
        ("Lavrov and Cavusoglu spoke by phone.", ["Russia", "Turkey"]),
    ],
)
def test_leaders_and_spokespeople_stand_for_their_side(
    actors: ActorMatcher, text: str, expected: list[str]
) -> None:
    assert found(actors, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The UN said aid was blocked.", ["United Nations"]),
        ("The un-named source spoke.", []),
        ("WHO said hospitals were hit.", ["WHO"]),
        ("Who said hospitals were hit?", []),
        ("IS claimed the attack.", ["Islamic State"]),
        ("It is unclear who is in charge.", []),
        ("The US said it would respond.", ["United States"]),
        ("Let us hope for peace.", []),
        ("HTS fighters withdrew.", ["Hayat Tahrir al-Sham"]),
        ("SANA reported the attack.", ["SANA"]),
        ("sana is a word in some languages.", []),
        ("PEOPLE WHO FLED THE BOMBING", []),
        ("UN SAYS 900,000 FLED", ["United Nations"]),
    ],
)
def test_acronyms_only_in_capitals(actors: ActorMatcher, text: str, expected: list[str]) -> None:
    assert found(actors, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Turkey said it would not open its borders.", ["Turkey"]),
        ("Ankara blamed Russia for the attack.", ["Turkey", "Russia"]),
        ("Washington wants to help Turkey in Idlib.", ["United States", "Turkey"]),
        ("Trucks crossed from Turkey through Bab al-Hawa.", []),
        ("Most of them fled to Turkey and Lebanon.", []),
        ("Aid crossed a border crossing with Turkey.", []),
        ("Refugees in Turkey number 3.6 million.", []),
        ("Turkey's border stayed closed.", []),
        ("IS fighters held the Turkey-Syria border.", ["Islamic State"]),
        ("Leaders of Russia, France and Germany met.", ["Russia", "France", "Germany"]),
    ],
)
def test_countries_act_unless_destination_or_origin(
    actors: ActorMatcher, text: str, expected: list[str]
) -> None:
    assert found(actors, text) == expected


def test_every_mention_is_found_with_its_offsets(actors: ActorMatcher) -> None:
    text = "Russian jets hit Idlib; Moscow's forces and Putin denied it, Russia said."
    mentions = actors.find(text)
    assert [m.actor for m in mentions] == ["Russia"] * 4
    for m in mentions:
        assert text[m.start : m.end] == m.surface
        assert m.side == "russia"
    assert [m.surface for m in mentions] == ["Russian jets", "Moscow's forces", "Putin", "Russia"]


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        ("HTS", "Hayat Tahrir al-Sham"),
        ("hayat tahrir al-sham", "Hayat Tahrir al-Sham"),
        ("Turkey", "Turkey"),
        ("Erdogan", "Turkey"),
        ("SOHR", "Syrian Observatory for Human Rights"),
        ("White Helmets", "White Helmets"),
        ("Syrian government", "Syrian government"),
        ("Russia", "Russia"),
    ],
)
def test_lookup(actors: ActorMatcher, name: str, canonical: str) -> None:
    actor = actors.lookup(name)
    assert actor is not None and actor.name == canonical


def test_lookup_unknown_is_none(actors: ActorMatcher) -> None:
    assert actors.lookup("Sherlock Holmes") is None


def test_matchers_are_built_once_per_profile() -> None:
    assert get_matchers(PROFILE)[1] is get_matchers(PROFILE)[1]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_find_never_raises_and_offsets_are_valid(text: str) -> None:
    for m in get_matchers(PROFILE)[1].find(text):
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start : m.end] == m.surface


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["Damascus", "Moscow", " and ", "'s", "-", "Russian", " jets", "UN", "said", " ", "\n"]
        ),
        max_size=25,
    )
)
def test_find_on_name_fragments_keeps_offsets_valid(parts: list[str]) -> None:
    text = "".join(parts)
    for m in get_matchers(PROFILE)[1].find(text):
        assert text[m.start : m.end] == m.surface


def test_long_repetitive_text_finds_every_mention(actors: ActorMatcher) -> None:
    text = "Damascus and Moscow have turned; " * 4000
    mentions = actors.find(text)
    assert [m.actor for m in mentions[:2]] == ["Syrian government", "Russia"]
    assert len(mentions) == 8000
