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
    ],
)
def test_real_copy(text: str, expected: list[Row]) -> None:
    assert got(text) == expected
