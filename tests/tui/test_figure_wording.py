"""How a figure reads on screen: the category in words, and the unit where it is not implied."""

from __future__ import annotations

import pytest

from core.models import Figure
from tui.widgets.render import category_label, figure_amount, figure_phrase


def _figure(category: str, value: int, group: str | None, qualifier: str = "exact") -> Figure:
    return Figure(
        category=category,  # type: ignore[arg-type]
        value=value,
        low=value,
        qualifier=qualifier,  # type: ignore[arg-type]
        group=group,
        sentence="A sentence.",
    )


@pytest.mark.parametrize(
    ("figure", "amount", "phrase"),
    [
        (_figure("killed", 12, "civilians", "at_least"), "at least 12", "at least 12 killed"),
        (_figure("in_need", 2_800_000, "people", "approx"), "about 2,800,000",
         "about 2,800,000 in need"),
        # aid comes in trucks, parcels or people reached: the unit is part of the amount
        (_figure("aid", 100, "trucks"), "100 trucks", "100 trucks of aid"),
        (_figure("aid", 40, None), "40", "aid: 40"),
    ],
)  # fmt: skip
def test_figure_reads_with_its_unit(figure: Figure, amount: str, phrase: str) -> None:
    assert figure_amount(figure) == amount
    assert figure_phrase(figure) == phrase


def test_category_names_read_as_words() -> None:
    assert category_label("in_need") == "in need"
    assert category_label("killed") == "killed"


def test_an_undated_article_says_so_beside_its_arrival() -> None:
    from datetime import UTC, datetime, timedelta

    from tui.widgets.render import when_published

    now = datetime(2026, 11, 26, 12, tzinfo=UTC)
    shown = when_published(None, now - timedelta(minutes=5), now).plain
    assert shown.endswith("undated") and "5m" in shown
    dated = when_published(datetime(2020, 2, 27, tzinfo=UTC), now, now).plain
    assert "2020-02-27" in dated and "undated" not in dated
