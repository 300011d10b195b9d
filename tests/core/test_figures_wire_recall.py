"""Figures that wire copy and headlines state in forms the first rules missed: present-tense
headline verbs, 'the bodies of', asides between a cue and its count, comma-less copy."""

from __future__ import annotations

import pytest

from core.extract.figures import find_figures

Row = tuple[str, int, str, str]


def got(text: str) -> list[Row]:
    return [(f.category, f.value, f.qualifier, f.group) for f in find_figures(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # headline present tense
        (
            "Government shelling kill 14 civilians in a market.",
            [("killed", 14, "exact", "civilians")],
        ),
        (
            "Rocket fire kill 3 people injure 21 in the old city.",
            [("killed", 3, "exact", "people"), ("injured", 21, "exact", "people")],
        ),
        (
            "Barrel bombs kill nine and wound dozens more near the river.",
            [("killed", 9, "exact", "people"), ("injured", 12, "at_least", "people")],
        ),
        # a threat, plan or hypothesis is no count of what happened
        ("The gunmen threatened to kill 20 hostages on Sunday.", []),
        ("Officials said the shells could kill 300 people a day.", []),
        ("The militia will not wound 4 more prisoners.", []),
        # 'the bodies of N': each body is a death
        (
            "Rescuers pulled out the bodies of six children from the ruins.",
            [("killed", 6, "exact", "children")],
        ),
        (
            "Footage showed the bodies of at least 11 men and two adults.",
            [("killed", 11, "at_least", "men"), ("killed", 2, "exact", "adults")],
        ),
        ("The bodies were found 2 km from the village.", []),
        ("Members of one family sheltered in the basement.", []),
    ],
)
def test_wire_recall(text: str, expected: list[Row]) -> None:
    assert got(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a bracketed aside inside the noun phrase
        (
            "Jets killed 40 Daesh (banned in many states) fighters.",
            [("killed", 40, "exact", "Daesh (banned in many states) fighters")],
        ),
        (
            "Strikes killed at least 9 Red Crescent [SARC] staff on Monday.",
            [("killed", 9, "at_least", "Red Crescent [SARC] staff")],
        ),
        ("The army seized 12 (mostly old) tanks.", []),
        # a quotation mark between the cue and the count
        (
            'Artillery fire hit the hills killing "30 militants."',
            [("killed", 30, "exact", "militants")],
        ),
        # the acronym IS inside the noun phrase, not the verb 'is'
        (
            "Another 17 IS group fighters were killed.",
            [("killed", 17, "exact", "IS group fighters")],
        ),
        # comma-less copy: a new clause right after the head
        (
            "The raid killed six volunteers rescue workers said.",
            [("killed", 6, "exact", "volunteers")],
        ),
        (
            "The strikes killed 83 civilians he told reporters.",
            [("killed", 83, "exact", "civilians")],
        ),
        (
            "Shelling killed dozens of people many of them children.",
            [("killed", 12, "at_least", "people")],
        ),
        (
            "Eleven civilians some of them children died in the raid.",
            [("killed", 11, "exact", "civilians")],
        ),
        # a singular modifier head is not cut ('family homes'), so nothing is counted
        ("Shelling destroyed 4 family homes officials said.", []),
    ],
)
def test_asides_and_comma_less_copy(text: str, expected: list[Row]) -> None:
    assert got(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # any fraction of a population total follows the 'half of' rule: no count is stated
        ("Two-thirds of the 4 million residents have fled.", []),
        ("A third of the 3 million people in the province have fled.", []),
        ("One-fifth of the 2 million residents need aid.", []),
        ("A tenth of the 900,000 people there were displaced.", []),
        # ... unless the total carries the category or the cue is the total's own
        (
            "Two-thirds of the 800,000 displaced are women.",
            [("displaced", 800_000, "exact", "people")],
        ),
        (
            "A third of the 60 people killed were children.",
            [("killed", 60, "exact", "people")],
        ),
        # a fraction of a million is a number
        (
            "A third of a million people have fled the fighting.",
            [("displaced", 333_333, "exact", "people")],
        ),
    ],
)
def test_fractions_of_a_total(text: str, expected: list[Row]) -> None:
    assert got(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a singular 'a/an' phrase between the cue and the count: the singular is no figure
        (
            "A raid hit the camp killing a teacher and seven pupils.",
            [("killed", 7, "exact", "pupils")],
        ),
        ("Police arrested a lawyer and three students.", [("detained", 3, "exact", "students")]),
        ("The strike killed a fighter and destroyed 3 tanks.", []),
        ("Shells hit a clinic and two schools were damaged.", []),
        # counts listed after 'those killed ...' with a few words between
        (
            "Medics said those killed in both raids included 9 children and 2 women.",
            [("killed", 9, "exact", "children"), ("killed", 2, "exact", "women")],
        ),
        ("Those wounded in the blast were 40 km from home.", []),
        # a bare singular is still no figure (README: 'a teacher', 'a child')
        ("A woman and a child were killed in the strike.", []),
    ],
)
def test_counts_after_singulars_and_listings(text: str, expected: list[Row]) -> None:
    assert got(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an asider after the head keeps the head's own participle ahead of a toll before it
        (
            "The toll rose to 32 and more than 115 wounded persons most of them children.",
            [("killed", 32, "exact", "people"), ("injured", 115, "at_least", "wounded persons")],
        ),
        # a verb right before the count still wins over the participle in its phrase
        ("Shelling killed 5 displaced people.", [("killed", 5, "exact", "displaced people")]),
        # the singular phrase rule stops at an aside: the later count has its own cue
        (
            "Two persons were killed a child among them and six others got injured.",
            [("killed", 2, "exact", "persons"), ("injured", 6, "exact", "persons")],
        ),
    ],
)
def test_new_rules_keep_existing_readings(text: str, expected: list[Row]) -> None:
    assert got(text) == expected


def test_injured_who_died_are_killed() -> None:
    assert got("Medics said four injured civilians died in hospital on Friday.") == [
        ("killed", 4, "exact", "injured civilians")
    ]
