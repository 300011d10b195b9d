"""Extraction accuracy against a hand-annotated gold file (JSON Lines).

Each gold line: {"id", "published", "text", "places", "actors", "figures", "events"}. Scored
per kind, micro-averaged over items: places and actors as sets of canonical names (gold names
pass through the profile's lookup, so any standard spelling counts), figures as multisets of
(category, value), control events as sets of (place, side).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, ValidationError

from core.models import Extraction

KINDS = ("places", "actors", "figures", "events")


class GoldFigure(BaseModel):
    category: str
    value: int


class GoldEvent(BaseModel):
    place: str
    side: str | None = None


class GoldItem(BaseModel):
    """One annotated text; extra keys (low, high, notes...) are allowed and ignored."""

    id: str
    text: str
    published: date | None = None
    places: list[str] = Field(default_factory=list)
    actors: list[str] = Field(default_factory=list)
    figures: list[GoldFigure] = Field(default_factory=list)
    events: list[GoldEvent] = Field(default_factory=list)


class GoldError(ValueError):
    """A gold file that cannot be read, naming the file, line and field."""


@dataclass
class Score:
    """Counts for one kind, from which precision, recall and F1 follow."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


def read_gold(path: Path) -> Iterator[GoldItem]:
    """Gold items, one per non-blank line; a bad line raises GoldError naming it.

    A FIFO or device is refused before opening (reading one would block forever), and a file
    with no items is an error: a perfect score on nothing would read as a result.
    """
    if path.exists() and not path.is_file():
        raise GoldError(f"{path}: not a regular file")
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldError(f"{path}: cannot read: {exc}") from exc
    if not any(line.strip() for line in lines):
        raise GoldError(f"{path}: no annotated items (the file is empty)")
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            yield GoldItem.model_validate(json.loads(line))
        except json.JSONDecodeError as exc:
            raise GoldError(f"{path}:{number}: not JSON ({exc.msg})") from exc
        except ValidationError as exc:
            where = ".".join(str(p) for p in exc.errors()[0]["loc"])
            raise GoldError(f"{path}:{number}: field {where}: {exc.errors()[0]['msg']}") from exc


Canon = Callable[[str], str]


def _compare(
    score: Score, item_id: str, gold: Iterable[Hashable], found: Iterable[Hashable]
) -> None:
    want, got = Counter(gold), Counter(found)
    hits = want & got
    score.tp += sum(hits.values())
    missed, extra = want - hits, got - hits
    score.fn += sum(missed.values())
    score.fp += sum(extra.values())
    if missed or extra:
        score.errors.append(
            f"{item_id}: missed {sorted(map(str, missed))} extra {sorted(map(str, extra))}"
        )


def score_item(
    scores: dict[str, Score], item: GoldItem, found: Extraction, place: Canon, actor: Canon
) -> None:
    """Add one item's comparison to the running scores."""
    _compare(
        scores["places"], item.id, {place(p) for p in item.places}, {m.place for m in found.places}
    )
    _compare(
        scores["actors"], item.id, {actor(a) for a in item.actors}, {m.actor for m in found.actors}
    )
    _compare(
        scores["figures"],
        item.id,
        [(f.category, f.value) for f in item.figures],
        [(f.category, f.value) for f in found.figures],
    )
    _compare(
        scores["events"],
        item.id,
        {(place(e.place), e.side) for e in item.events},
        {(e.place, e.side) for e in found.events},
    )


def evaluate(
    items: Iterable[GoldItem],
    extract: Callable[[str, date | None], Extraction],
    place: Canon,
    actor: Canon,
) -> tuple[dict[str, Score], int]:
    """Score `extract` over the gold items; returns per-kind scores and the item count."""
    scores = {kind: Score() for kind in KINDS}
    count = 0
    for item in items:
        score_item(scores, item, extract(item.text, item.published), place, actor)
        count += 1
    return scores, count
