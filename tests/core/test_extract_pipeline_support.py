"""A tiny stand-in for the profile matchers, so extraction tests do not depend on the gazetteer.

It finds whole-word, case-insensitive aliases, longest first, like the real matchers do.
"""

from __future__ import annotations

import re

from core.models import ActorMention, PlaceMention

PLACES = {
    "Al-Nayrab": ["Al-Nayrab", "Nayrab", "Nairab", "an-Nayrab", "el-Nairab"],
    "Saraqeb": ["Saraqeb", "Saraqib", "Sarakeb"],
    "Idlib": ["Idlib city", "city of Idlib", "Idleb city"],
    "Idlib Governorate": ["Idlib", "Idleb", "Idlib province"],
    "Jabal al-Zawiya": ["Jabal al-Zawiya", "Jabal Al-Zawiya"],
    "Maarat al-Numan": ["Maarat al-Numan", "Maaret al-Nouman"],
    "Ariha": ["Ariha"],
    "Kafr Nabl": ["Kafr Nabl", "Kafranbel"],
    "Taftanaz": ["Taftanaz"],
    "Sarmin": ["Sarmin", "Sarmeen"],
    "Khan Shaykhun": ["Khan Shaykhun", "Khan Sheikhoun"],
    "Jisr al-Shighour": ["Jisr al-Shighour", "Jisr al-Shughour"],
    "Aleppo": ["Aleppo"],
    "Latakia": ["Latakia"],
    "M4 highway": ["M4 highway", "M4"],
    "M5 highway": ["M5 highway", "M5"],
    "Atarib": ["Atarib", "al-Atarib"],
    "Binnish": ["Binnish", "Benesh"],
    "Palmyra": ["Palmyra"],
    "Afrin": ["Afrin"],
}
ACTORS = {
    ("Syrian government", "government"): [
        "regime forces",
        "Syrian forces",
        "Syrian army",
        "the army",
        "Syrian troops",
        "regime troops",
        "Syrian government forces",
        "government forces",
        "the regime",
        "pro-regime",
        "pro-government forces",
        "Damascus",
        "Assad",
        "regime",
        "Syrian regime",
        "army units",
        "Syrian army units",
    ],
    ("Russia", "russia"): ["Russian", "Russia", "Moscow", "Putin"],
    ("Turkey", "turkey"): ["Turkey", "Turkish", "Ankara", "Erdogan", "Turkish soldiers"],
    ("Syrian National Army", "opposition"): [
        "Syrian National Army",
        "Turkish-backed fighters",
        "Turkey-backed rebels",
        "Turkish-backed rebels",
        "Turkey-backed Syrian National Army",
    ],
    ("Syrian opposition", "opposition"): [
        "rebels",
        "rebel fighters",
        "Syrian rebel fighters",
        "opposition fighters",
        "rebel",
    ],
    ("Hayat Tahrir al-Sham", "jihadist"): ["Hayat Tahrir al-Sham", "HTS", "Nusra Front"],
    ("Turkistan Islamic Party", "jihadist"): ["Turkistan Islamic Party"],
    ("United Nations", "international"): ["United Nations", "UN"],
    ("White Helmets", "humanitarian"): ["White Helmets", "Syrian White Helmets"],
    ("Syrian Observatory for Human Rights", "monitor"): ["Observatory", "war monitor"],
    ("Hezbollah", "iran"): ["Hezbollah"],
}


def _pattern(aliases: list[str]) -> re.Pattern[str]:
    ordered = sorted(aliases, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, ordered)) + r")(?!\w)", re.I)


class FakePlaces:
    def __init__(self, places: dict[str, list[str]] | None = None) -> None:
        table = places or PLACES
        self._canonical = {a.casefold(): name for name, aliases in table.items() for a in aliases}
        self._re = _pattern(list(self._canonical.keys()))

    def find(self, text: str) -> list[PlaceMention]:
        return [
            PlaceMention(
                place=self._canonical[m.group(0).casefold()],
                surface=m.group(0),
                start=m.start(),
                end=m.end(),
            )
            for m in self._re.finditer(text)
        ]


class FakeActors:
    def __init__(self) -> None:
        self._canonical = {a.casefold(): key for key, aliases in ACTORS.items() for a in aliases}
        self._re = _pattern(list(self._canonical.keys()))

    def find(self, text: str) -> list[ActorMention]:
        found = []
        for m in self._re.finditer(text):
            name, side = self._canonical[m.group(0).casefold()]
            found.append(
                ActorMention(
                    actor=name, side=side, surface=m.group(0), start=m.start(), end=m.end()
                )
            )
        return found


def fake_matchers() -> tuple[FakePlaces, FakeActors]:
    return FakePlaces(), FakeActors()


def test_fake_matcher_finds_longest_alias() -> None:
    places, actors = fake_matchers()
    assert [m.place for m in places.find("shelling in Idlib city and Saraqib")] == [
        "Idlib",
        "Saraqeb",
    ]
    assert actors.find("Syrian army units moved")[0].actor == "Syrian government"
