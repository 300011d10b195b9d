"""Region profiles: the places, actors and feeds of one theatre, validated by pydantic.

A profile is a TOML file. The built-in one is Idlib (north-west Syria); `--profile PATH` or
SITREP_PROFILE selects another. The wide gazetteer (every populated place of the country,
built from GeoNames by `python -m core.gazetteer_build`) is a JSON file the profile names.

`load_profile` turns every problem into a `ProfileError` whose message names the file, the
entry (`actors[3] "Russia"`) and the field, so the CLI can print it as one line.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import os
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

# pydantic and the models below (imported by every sitrep command, first of all by most) live as
# long as the process: the cyclic collector is paused while they load, as it would scan them over
# and over for garbage there is none of, and resumes at the end of this module with them frozen.
_COLLECTING = gc.isenabled()
gc.disable()

from pydantic import (  # noqa: E402  (after the collector's pause)
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

PROFILES_DIR = Path(__file__).parent / "profiles"
DEFAULT_PROFILE = PROFILES_DIR / "idlib.toml"
PROFILE_ENV = "SITREP_PROFILE"
MAX_PROFILE_BYTES = 5_000_000

PlaceKindName = Literal[
    "town", "city", "village", "district", "governorate", "road", "area", "crossing"
]


BROAD_PLACE_KINDS = frozenset({"governorate"})  # (a "district" is a city's quarter)


class ProfileError(Exception):
    """A profile that cannot be used; the message is one line fit for a user."""


class PlaceSpec(BaseModel):
    """A place the profile knows, with every spelling outlets use for it.

    `default_for_bare_name`: when this place shares its bare name with another (Idlib the
    governorate and Idlib the city), a mention with no cue either way means this one.
    """

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1)
    kind: PlaceKindName = "town"
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    admin1: str | None = None
    aliases: list[str] = Field(default_factory=list)
    tracked: bool = False
    geonameid: int | None = None
    population: int | None = None
    default_for_bare_name: bool = False


class ActorSpec(BaseModel):
    """An actor and every way the text can refer to it.

    `aliases` always stand for the actor; `capitals` only when the capital acts ("Damascus
    vowed"), not when it is a place ("in Damascus"); `adjectives` only before a military or
    state noun ("Russian jets", "Turkish troops"); `leaders` are people who speak or act for it.
    `descriptions` are phrases that stand for it ("regime forces", "Turkey-backed rebels");
    `countries` are country names, counted unless used as a destination or origin ("to Turkey").
    """

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1)
    kind: str = "armed_group"
    side: str = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list)
    countries: list[str] = Field(default_factory=list)
    capitals: list[str] = Field(default_factory=list)
    adjectives: list[str] = Field(default_factory=list)
    leaders: list[str] = Field(default_factory=list)
    descriptions: list[str] = Field(default_factory=list)


class FeedSpec(BaseModel):
    """A public feed an analyst of the region reads."""

    model_config = ConfigDict(extra="forbid")

    url: str = Field(min_length=1)
    title: str = ""
    html_url: str | None = None
    category: str | None = None


class Profile(BaseModel):
    """One region: its sides, places, actors and feeds.

    `not_actors` are phrases that look like actor references but are not ("pro-opposition
    media", "Turkish border"); a match on one of them hides the shorter matches inside it.
    """

    model_config = ConfigDict(extra="forbid")

    name: str
    region: str = ""
    country_code: str | None = None
    # IANA name of the region's local time ("Asia/Damascus"): an article stamped 23:30 UTC on
    # a Tuesday is Wednesday there, and its "on Wednesday" means that day, not a week before.
    timezone: str | None = None
    sides: list[str] = Field(default_factory=list)
    gazetteer: str | None = None
    places: list[PlaceSpec] = Field(default_factory=list)
    actors: list[ActorSpec] = Field(default_factory=list)
    not_actors: list[str] = Field(default_factory=list)
    feeds: list[FeedSpec] = Field(default_factory=list)
    _base_dir: Path = PrivateAttr(default=PROFILES_DIR)

    @model_validator(mode="after")
    def _known_sides(self) -> Profile:
        """Every actor's side must be one the profile declares (when it declares any)."""
        if not self.sides:
            return self
        for index, actor in enumerate(self.actors):
            if actor.side not in self.sides:
                raise ValueError(
                    f'actors[{index}] "{actor.name}" field side: unknown side '
                    f"{actor.side!r} (the profile's sides are {', '.join(self.sides)})"
                )
        return self

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, name: str | None) -> str | None:
        # a machine with no time zone database at all reads dates in UTC instead of failing
        if name is not None and local_zone(name) is None and local_zone("UTC") is not None:
            raise ValueError(f"unknown time zone {name!r} (an IANA name such as 'Asia/Damascus')")
        return name

    def tracked_places(self) -> list[PlaceSpec]:
        return [p for p in self.places if p.tracked]

    def broad_places(self) -> frozenset[str]:
        """Places that are whole regions (governorates): named beside almost everything,
        so a poor answer to 'where is this actor most?'."""
        return frozenset(p.name for p in self.places if p.kind in BROAD_PLACE_KINDS)

    def gazetteer_path(self) -> Path | None:
        """The gazetteer file, relative to the profile's folder, else the built-in folder."""
        if not self.gazetteer:
            return None
        local = self._base_dir / self.gazetteer
        return local if local.exists() else PROFILES_DIR / self.gazetteer

    def gazetteer_places(self) -> list[PlaceSpec]:
        """The wide gazetteer's places (empty without one). Raises ProfileError."""
        path = self.gazetteer_path()
        return [] if path is None else list(load_gazetteer(path))


@lru_cache(maxsize=8)
def local_zone(name: str) -> dt.tzinfo | None:
    """The IANA time zone `name`, or None where it is unknown or the machine has no time zone
    database (then dates are read in UTC, as without a `timezone`)."""
    from zoneinfo import ZoneInfo

    try:
        return ZoneInfo(name)
    except (KeyError, ValueError, OSError):  # ZoneInfoNotFoundError is a KeyError
        return None


def _entry_label(data: Any, loc: tuple[int | str, ...]) -> tuple[str, tuple[int | str, ...]]:
    """`("actors", 3, "side")` -> (`actors[3] "Russia"`, ("side",))."""
    if len(loc) >= 2 and isinstance(loc[1], int) and isinstance(data, dict):
        section, index = str(loc[0]), loc[1]
        entries = data.get(section)
        label = f"{section}[{index}]"
        if isinstance(entries, list) and index < len(entries) and isinstance(entries[index], dict):
            name = entries[index].get("name") or entries[index].get("url")
            if isinstance(name, str):
                label += f' "{name}"'
        return label, loc[2:]
    return "", loc


def describe_validation_error(path: Path, data: Any, exc: ValidationError) -> str:
    """The first problem of a pydantic error as `file: entry field F: reason`."""
    error = exc.errors()[0]
    loc = tuple(error.get("loc", ()))
    message = str(error.get("msg", "invalid"))
    if not loc:
        return f"{path}: {message.removeprefix('Value error, ')}"
    label, field_loc = _entry_label(data, loc)
    field = ".".join(str(part) for part in field_loc) or "value"
    where = f"{label} field {field}" if label else f"field {field}"
    more = len(exc.errors()) - 1
    suffix = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
    return f"{path}: {where}: {message}{suffix}"


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ProfileError(f"{path}: cannot read profile: {exc.strerror or exc}") from exc
    if len(raw) > MAX_PROFILE_BYTES:
        raise ProfileError(f"{path}: profile is larger than {MAX_PROFILE_BYTES} bytes")
    cache = _parsed_cache_path(raw)
    cached = _read_parsed(cache)
    if cached is not None:
        return cached
    import tomllib  # only when a profile file is parsed

    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ProfileError(f"{path}: profile is not UTF-8 text") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"{path}: invalid TOML: {exc}") from exc
    _write_parsed(cache, data)
    return data


# A parsed profile is kept in the user cache folder, named by a digest of the file's bytes (and
# the Python that wrote it): the built-in profile is ~40 KB of TOML, ~7 ms to parse (tomllib is
# pure Python) every time `sitrep dashboard` starts, where reading it back takes ~0.3 ms. The
# parsed data is validated by the models as ever; any problem with the cache means parsing.


def _parsed_cache_path(raw: bytes) -> Path | None:
    import hashlib
    import marshal
    import sys

    try:
        import platformdirs

        folder = platformdirs.user_cache_dir("sitrep", appauthor=False)
    except Exception:  # no cache folder: parse every time
        return None
    digest = hashlib.sha256(raw)
    digest.update(f"{sys.version}|{marshal.version}".encode())
    return Path(folder) / f"profile-{digest.hexdigest()[:40]}.marshal"


def _read_parsed(cache: Path | None) -> dict[str, Any] | None:
    import marshal

    if cache is None:
        return None
    try:
        data = marshal.loads(cache.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    return data if isinstance(data, dict) else None


def _write_parsed(cache: Path | None, data: dict[str, Any]) -> None:
    """Keep the parsed profile (only plain TOML values: a date or time is not cached)."""
    import marshal

    if cache is None:
        return
    try:
        payload = marshal.dumps(data)
    except ValueError:
        return
    partial = cache.with_name(f"{cache.name}.{os.getpid()}.tmp")
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        partial.write_bytes(payload)
        os.replace(partial, cache)
    except OSError:
        with contextlib.suppress(OSError):
            partial.unlink()
        return
    from core.cachefiles import prune_siblings

    prune_siblings(cache, "profile-*.marshal")


def resolve_profile_path(path: Path | None = None) -> Path:
    """`path`, else $SITREP_PROFILE, else the built-in Idlib profile."""
    if path is not None:
        return Path(path)
    env = os.environ.get(PROFILE_ENV, "").strip()
    return Path(env) if env else DEFAULT_PROFILE


def load_profile(path: Path | None = None) -> Profile:
    """Read and validate a profile (and check its gazetteer exists). Raises ProfileError."""
    resolved = resolve_profile_path(path)
    data = _read_toml(resolved)
    try:
        profile = Profile.model_validate(data)
    except ValidationError as exc:
        raise ProfileError(describe_validation_error(resolved, data, exc)) from exc
    profile._base_dir = resolved.parent
    gazetteer = profile.gazetteer_path()
    if gazetteer is not None and not gazetteer.exists():
        raise ProfileError(f"{resolved}: field gazetteer: file not found: {gazetteer}")
    return profile


def _gazetteer_place(entry: dict[str, Any]) -> PlaceSpec:
    """A gazetteer row as a PlaceSpec named by its plain ASCII form ("Khan Shaykhun")."""
    name = entry.get("ascii") or entry["name"]
    aliases = [entry["name"], *entry.get("aliases", [])]
    return PlaceSpec(
        name=name,
        kind=entry.get("kind", "town"),
        lat=entry.get("lat"),
        lon=entry.get("lon"),
        admin1=entry.get("admin1"),
        aliases=[a for a in aliases if a != name],
        geonameid=entry.get("geonameid"),
        population=entry.get("population"),
    )


@lru_cache(maxsize=8)
def load_gazetteer(path: Path) -> tuple[PlaceSpec, ...]:
    """Places of a gazetteer JSON file (as written by core.gazetteer_build)."""
    import json  # only when a gazetteer is read

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return tuple(_gazetteer_place(entry) for entry in data["places"])
    except OSError as exc:
        raise ProfileError(f"{path}: cannot read gazetteer: {exc.strerror or exc}") from exc
    except (ValueError, KeyError, TypeError) as exc:
        raise ProfileError(f"{path}: invalid gazetteer: {exc}") from exc


gc.freeze()  # what is loaded by now stays: no collection needs to scan it again
if _COLLECTING:
    gc.enable()
