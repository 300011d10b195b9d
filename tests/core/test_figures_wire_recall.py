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
