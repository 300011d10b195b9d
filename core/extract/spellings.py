"""Every spelling of a place, for search: 'Saraqib' finds the articles that write 'Saraqeb'.

Full-text search matches words as written, and outlets transliterate Arabic names each their
own way (Saraqeb, Saraqib, Sraqeb; Al-Nayrab, Nairab, Neirab). A search for one spelling of a
known place searches for all of them: the profile's and the gazetteer's, via the place
matcher's own look-up (the same folding that recognises them in text).
"""

from __future__ import annotations

from collections.abc import Callable

from core.extract.matching import get_matchers
from core.profile import Profile

MAX_SPELLINGS = 16  # an OR of more phrases costs FTS5 more than any transliteration needs

Spellings = Callable[[str], list[str]]


def place_spellings(profile: Profile) -> Spellings:
    """A function from any spelling of a known place to all its spellings ([] if unknown)."""
    places = get_matchers(profile)[0]

    def spellings(name: str) -> list[str]:
        spec = places.lookup(name)
        if spec is None:
            return []
        return list(dict.fromkeys([spec.name, name, *spec.aliases]))[:MAX_SPELLINGS]

    return spellings
