"""Figures in wire copy as users paste it: shares of a total, zero, stripped commas."""

from __future__ import annotations

import pytest

from core.extract.figures import find_figures

Row = tuple[str, int, str, str]


def got(text: str) -> list[Row]:
    return [(f.category, f.value, f.qualifier, f.group) for f in find_figures(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a share of a total: the total is a population, no count of the category is stated
        ("Half of the 3 million people in Idlib province have been displaced.", []),
        ("More than half of the 3.5 million residents have fled.", []),
        ("A third of the 900,000 people in the camps depend on aid.", []),
        # ... unless the total carries the category itself, or the cue is the total's own
        (
            "About a third of the 900,000 displaced are living in tents.",
            [("displaced", 900_000, "exact", "people")],
        ),
        ("Most of the 50 people killed were civilians.", [("killed", 50, "exact", "people")]),
        (
            "Some of the 200 families who fled reached the border.",
            [("displaced", 200, "exact", "families")],
        ),
        # zero is no count
        ("Zero people were wounded, the ministry said.", []),
        ("The army said zero civilians were killed.", []),
        # comma-stripped copy: a new subject or clause right after the head
        ("A blast killed at least six people AFP reports.", [("killed", 6, "at_least", "people")]),
        (
            "The strikes killed five people although the toll may rise.",
            [("killed", 5, "exact", "people")],
        ),
        (
            "The missiles also wounded 25 others Ibrahim Abu Leys told reporters.",
            [("injured", 25, "exact", "people")],
        ),
        # listed after the cue noun
        (
            "Among the dead were 20 children and nine women, medics said.",
            [("killed", 20, "exact", "children"), ("killed", 9, "exact", "women")],
        ),
        ("Those killed included 11 people from one clan.", [("killed", 11, "exact", "people")]),
        ("The dead were 20 km from the town.", []),
        # a participle right after the total is the total's own
        (
            "Most of the 50 fighters killed in the raids were foreigners.",
            [("killed", 50, "exact", "fighters")],
        ),
        ("Half of the 3 million people fled.", []),
        # people nouns and determiners wire copy uses
        ("Nine of his comrades were killed.", [("killed", 9, "exact", "comrades")]),
        ("The crash killed all five people on board.", [("killed", 5, "exact", "people")]),
        ("Gunmen executed the 14 men.", [("killed", 14, "exact", "men")]),
        ("Since dawn 165 people total have been wounded.", [("injured", 165, "exact", "people")]),
        # a title-case headline goes on after a capitalised head
        (
            "02-09-2013 Syrian Army Kills 40 Fighters in Ambush.",
            [("killed", 40, "exact", "Fighters")],
        ),
        (
            "It hosts some 900000 displaced Syrians.",
            [("displaced", 900_000, "approx", "displaced Syrians")],
        ),
        # fractions of a million
        (
            "More than a quarter of a million people have been killed.",
            [("killed", 250_000, "at_least", "people")],
        ),
        (
            "Three quarters of a million people have fled.",
            [("displaced", 750_000, "exact", "people")],
        ),
    ],
)
def test_real_copy(text: str, expected: list[Row]) -> None:
    assert got(text) == expected
