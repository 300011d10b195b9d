"""The accuracy targets of the extraction issue, scored on the held-out gold split.

tests/gold/test.jsonl is never tuned on (tests/gold/README.md); this test is the only place
it is read, through the same `sitrep eval --json` a user runs. A regression in any extractor
that costs more than the margin above a target fails here.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tui.cli import app

GOLD = Path(__file__).resolve().parents[1] / "gold"
TARGET_F1 = {"places": 0.95, "actors": 0.95, "figures": 0.90, "events": 0.85}


@pytest.fixture(scope="module")
def test_split_scores() -> dict[str, dict[str, float]]:
    result = CliRunner().invoke(app, ["eval", str(GOLD / "test.jsonl"), "--json"])
    assert result.exit_code == 0, result.output
    scores: dict[str, dict[str, float]] = json.loads(result.stdout)
    assert scores["items"] >= 100
    return scores


@pytest.mark.parametrize("kind", sorted(TARGET_F1))
def test_held_out_f1_meets_the_target(
    test_split_scores: dict[str, dict[str, float]], kind: str
) -> None:
    assert test_split_scores[kind]["f1"] >= TARGET_F1[kind], test_split_scores[kind]


def test_the_two_splits_share_no_text() -> None:
    def texts(name: str) -> set[str]:
        lines = (GOLD / name).read_text(encoding="utf-8").splitlines()
        return {json.loads(line)["text"].strip().casefold() for line in lines if line.strip()}

    assert not texts("dev.jsonl") & texts("test.jsonl")
