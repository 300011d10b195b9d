"""The parsed-profile cache: the same profile whether parsed or read back, and any problem
with the cache means parsing the file again."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from core.profile import PROFILES_DIR, ProfileError, _read_toml, load_profile


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "sitrep"


@pytest.mark.parametrize("name", ["idlib.toml", "yemen_hodeidah.toml"])
def test_read_back_is_what_tomllib_parses(cache_dir: Path, name: str) -> None:
    path = PROFILES_DIR / name
    parsed = tomllib.loads(path.read_text(encoding="utf-8"))
    assert _read_toml(path) == parsed  # parsed, then kept
    assert len(list(cache_dir.glob("profile-*.marshal"))) == 1
    assert _read_toml(path) == parsed  # read back
    assert load_profile(path) == load_profile(path)


def test_a_changed_file_is_parsed_again(cache_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    path.write_text('name = "one"\n', encoding="utf-8")
    assert load_profile(path).name == "one"
    path.write_text('name = "two"\n', encoding="utf-8")
    assert load_profile(path).name == "two"
    assert len(list(cache_dir.glob("profile-*.marshal"))) == 2


def test_a_damaged_cache_means_parsing(cache_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    path.write_text('name = "one"\nsides = ["a"]\n', encoding="utf-8")
    load_profile(path)
    (cached,) = cache_dir.glob("profile-*.marshal")
    cached.write_bytes(b"\x00 not marshal")
    assert load_profile(path).sides == ["a"]
    cached.write_bytes(b"")
    assert load_profile(path).sides == ["a"]


def test_dates_are_not_cached_and_errors_still_raise(cache_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    path.write_text('name = "one"\nregion = 2020-01-01\n', encoding="utf-8")
    with pytest.raises(ProfileError, match="region"):
        load_profile(path)  # a date where text is wanted: the models say so, as ever
    assert not list(cache_dir.glob("profile-*"))
    path.write_text('name = "one\n', encoding="utf-8")
    with pytest.raises(ProfileError, match="invalid TOML"):
        load_profile(path)


def test_an_unwritable_cache_folder_is_no_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))  # a file where the folder should be
    path = tmp_path / "p.toml"
    path.write_text('name = "one"\n', encoding="utf-8")
    assert load_profile(path).name == "one"
    assert load_profile(path).name == "one"


def test_old_cache_files_are_removed_when_a_new_one_is_written(
    cache_dir: Path, tmp_path: Path
) -> None:
    import os
    import time

    from core.cachefiles import KEPT_PER_KIND, STALE_PARTIAL_SECONDS

    path = tmp_path / "p.toml"
    for n in range(KEPT_PER_KIND + 3):  # each edit of the profile writes a new cache file
        path.write_text(f'name = "v{n}"\n', encoding="utf-8")
        assert load_profile(path).name == f"v{n}"
        for older in cache_dir.glob("profile-*.marshal"):  # distinct times, newest last
            stamp = os.stat(older).st_mtime - 1
            os.utime(older, (stamp, stamp))
    kept = list(cache_dir.glob("profile-*.marshal"))
    assert len(kept) == KEPT_PER_KIND
    left = cache_dir / "profile-dead.marshal.999.tmp"  # a crash's leftover
    left.write_bytes(b"x")
    old = time.time() - STALE_PARTIAL_SECONDS - 10
    os.utime(left, (old, old))
    path.write_text('name = "last"\n', encoding="utf-8")
    assert load_profile(path).name == "last"
    assert not left.exists()
    assert len(list(cache_dir.glob("profile-*.marshal"))) == KEPT_PER_KIND
    other = cache_dir / "notes.txt"  # not a cache file: never touched
    other.write_text("mine")
    path.write_text('name = "again"\n', encoding="utf-8")
    load_profile(path)
    assert other.exists()
