"""Synthetic Idlib-like news articles at any size, streamed to JSON Lines.

Deterministic for a seed. Each article is assembled from sentence templates with varied places,
actors, figures (digits and words) and dates, so bodies differ enough that near-duplicate
grouping does not fold them together, and extraction has realistic work to do.

    python tests/bench/synth.py 10000 /tmp/synth-10k.jsonl [--seed 7]
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

PLACES = [
    "Saraqeb",
    "Saraqib",
    "Al-Nayrab",
    "Nairab",
    "Maarat al-Numan",
    "Maaret al-Nouman",
    "Ariha",
    "Kafr Nabl",
    "Atarib",
    "Khan Shaykhun",
    "Idlib city",
    "Taftanaz",
    "Sarmin",
    "Binnish",
    "Maarat Misrin",
    "Jabal al-Zawiya",
    "Balyun",
    "Jisr al-Shighour",
    "Jisr ash-Shughur",
    "Bab al-Hawa",
    "Bab al-Salam",
    "western Aleppo countryside",
    "Hama province",
    "Latakia",
    "Afis",
    "Trumbah",
    "Haritan",
    "Anadan",
    "Abu al-Duhur",
    "Kafr Takharim",
]
ROADS = ["the M4 highway", "the M5 highway", "the M4", "the M5 motorway"]
ATTACKERS = [
    "Syrian government forces",
    "regime troops",
    "the Syrian army",
    "pro-government militias",
    "Turkey-backed rebels",
    "the Syrian National Army",
    "Hayat Tahrir al-Sham fighters",
    "the National Front for Liberation",
    "Iran-backed militias",
    "Hezbollah fighters",
]
VERBS = [
    "captured",
    "recaptured",
    "took control of",
    "seized",
    "entered",
    "withdrew from",
    "shelled",
    "advanced towards",
    "lost",
    "retook",
]
SOURCES_SAID = [
    "the Syrian Observatory for Human Rights said",
    "state news agency SANA reported",
    "the White Helmets said",
    "a UN spokesperson said",
    "OCHA said in a statement",
    "Turkey's defence ministry said",
    "Russia's defence ministry said",
    "an opposition commander told reporters",
    "local activists said",
]
FIGURES = [
    "at least {n} civilians were killed",
    "{n} people were wounded",
    "dozens of fighters died",
    "nearly {k},000 people fled their homes",
    "some {k}00,000 people have been displaced",
    "{n} Turkish soldiers were killed",
    "up to {n} trucks of aid crossed the border",
    "hundreds of families slept in the open",
    "between {n} and {m} houses were destroyed",
    "{w} children were among the dead",
    "more than {k},000 people remain in need of shelter",
]
WORDS = ["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven"]
DAYS = [
    "on Monday",
    "on Tuesday",
    "on Wednesday",
    "on Thursday",
    "on Friday",
    "on Saturday",
    "on Sunday",
    "a day earlier",
    "last week",
    "overnight",
    "early on Tuesday",
]
CONTEXT = [
    "The town lies on {road}, which links Aleppo with Damascus and Latakia.",
    "Fighting around {place} has emptied villages along {road}.",
    "Humanitarian agencies warned that camps near the Turkish border were overwhelmed.",
    "Russia and Turkey have held several rounds of talks on a ceasefire without agreement.",
    "Aid convoys continued to enter through {place}, officials said.",
    "Residents described {adj} bombardment of markets, schools and hospitals.",
    "Analysts expect the next battle to be fought over {place}.",
    "The offensive that began in December has displaced people at an unprecedented pace.",
]
ADJECTIVES = ["relentless", "intense", "sporadic", "heavy", "renewed", "night-time"]
OUTLETS = [
    "Levant Wire",
    "Orontes Times",
    "Northline News",
    "Relief Monitor",
    "Syrian Casualty Watch",
    "Gulf Dispatch",
    "Meridian Review",
    "Bosphorus Daily",
]
START = datetime(2019, 12, 1, tzinfo=UTC)


def _figure(rng: random.Random) -> str:
    template = rng.choice(FIGURES)
    n = rng.randint(2, 120)
    return template.format(n=n, m=n + rng.randint(5, 80), k=rng.randint(2, 9), w=rng.choice(WORDS))


def _capital(text: str) -> str:
    return text[0].upper() + text[1:]


def _event_sentence(rng: random.Random) -> str:
    return _capital(
        f"{rng.choice(ATTACKERS)} {rng.choice(VERBS)} {rng.choice(PLACES)} {rng.choice(DAYS)}, "
        f"{rng.choice(SOURCES_SAID)}."
    )


def _figure_sentence(rng: random.Random) -> str:
    return (
        f"In {rng.choice(PLACES)}, {_figure(rng)} {rng.choice(DAYS)}, {rng.choice(SOURCES_SAID)}."
    )


def _context_sentence(rng: random.Random) -> str:
    return rng.choice(CONTEXT).format(
        road=rng.choice(ROADS), place=rng.choice(PLACES), adj=rng.choice(ADJECTIVES)
    )


def _paragraph(rng: random.Random) -> str:
    makers = [_event_sentence, _figure_sentence, _context_sentence]
    return " ".join(rng.choice(makers)(rng) for _ in range(rng.randint(2, 4)))


def article(index: int, rng: random.Random) -> dict[str, Any]:
    """One synthetic article object (interface.md's JSON shape)."""
    outlet = rng.choice(OUTLETS)
    published = START + timedelta(minutes=rng.randint(0, 110 * 24 * 60))
    place = rng.choice(PLACES)
    title = f"{_capital(rng.choice(ATTACKERS))} {rng.choice(VERBS)} {place} as {_figure(rng)}"
    body = "\n\n".join(_paragraph(rng) for _ in range(rng.randint(6, 12)))
    slug = outlet.lower().replace(" ", "")
    return {
        "url": f"https://{slug}.example/{published:%Y/%m/%d}/story-{index}",
        "title": title,
        "body": f"{place.upper()}, {published:%b} {published.day} ({outlet}) - {body}",
        "published": published.isoformat(),
        "source": outlet,
        "section": "syria",
    }


def generate(count: int, seed: int = 7) -> Iterator[dict[str, Any]]:
    """`count` articles, the same ones for the same seed."""
    rng = random.Random(seed)
    for index in range(count):
        yield article(index, rng)


def write_jsonl(path: Path, count: int, seed: int = 7) -> Path:
    """Stream `count` articles to `path`, one JSON object per line."""
    with path.open("w", encoding="utf-8") as out:
        for item in generate(count, seed):
            out.write(json.dumps(item, ensure_ascii=False) + "\n")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("output", type=Path)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    write_jsonl(args.output, args.count, args.seed)


if __name__ == "__main__":
    main()
