"""Extraction commands: extract, places, actors, figures, events, export, reindex, eval."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from core.models import day_text
from core.query.actors import holder_verb
from tui.commands.common import (
    DbOption,
    JsonOption,
    ProfileOption,
    emit_json,
    fail,
    load_profile_or_fail,
    open_store,
    print_table,
    warn,
)
from tui.widgets.render import figure_value

MAX_TEXT_BYTES = 5 * 2**20


def register(app: typer.Typer) -> None:
    for command in (extract, places, actors, figures, events, export, reindex, eval_gold):
        name = "eval" if command is eval_gold else command.__name__
        app.command(name=name)(command)


def _extractor(profile_path: Path | None) -> tuple[Any, Any]:
    """The region profile and an Extractor built on it."""
    from core.extract.pipeline import Extractor

    region = load_profile_or_fail(profile_path)
    return region, Extractor(region)


def _date(value: Any, precision: str = "day") -> str:
    return day_text(value, precision) if value is not None else "-"


# ---- extract ----


def extract(
    file: Annotated[
        str, typer.Argument(help="A text file, a .jsonl of article objects, or -")
    ] = "-",
    json_out: JsonOption = False,
    profile: ProfileOption = None,
    db: DbOption = None,  # every command takes --db (the contract); this one reads no store
) -> None:
    """Run extraction on one article (or each line of a .jsonl) and print what it finds."""
    from core.export import extraction_json

    region, extractor = _extractor(profile)
    if file.endswith(".jsonl"):
        raise typer.Exit(_extract_jsonl(_regular_file(file), region, extractor))
    text = _read_text_arg(file)
    if not text.strip():
        fail(f"{'stdin' if file == '-' else file}: not an article: the text is empty")
    found = extractor.extract_text(text)
    if json_out:
        emit_json(extraction_json(found, region))
    else:
        _print_extraction(found)


def _read_text_arg(file: str) -> str:
    """The text to extract from, decoded as ingest decodes files (BOMs, UTF-16, legacy)."""
    from core.ingest.base import InputError
    from core.ingest.reading import decode_bytes

    if file == "-":
        return sys.stdin.read(MAX_TEXT_BYTES)
    path = _regular_file(file)
    if path.stat().st_size > MAX_TEXT_BYTES:
        fail(f"{file}: too large (the limit is {MAX_TEXT_BYTES // 2**20} MB)")
    try:
        text, note = decode_bytes(path.read_bytes())
    except (OSError, InputError) as exc:
        fail(f"{file}: {getattr(exc, 'strerror', None) or exc}")
    if note:
        warn(f"{file}: {note}")
    return text


def _regular_file(file: str) -> Path:
    """The path, or exit 2: a missing file, or a FIFO or device (would block or never end)."""
    path = Path(file)
    if not path.exists():
        fail(f"{file}: no such file")
    if not path.is_file():
        fail(f"{file}: not a regular file")
    return path


def _extract_jsonl(path: Path, region: Any, extractor: Any) -> int:
    """One JSON object per article line, each with its url; bad lines named on stderr."""
    from core.export import extraction_json
    from core.ingest.base import InputError
    from core.ingest.jsonfile import read_jsonl
    from core.models import Article
    from core.text import MAX_BODY_CHARS

    failed = 0
    try:
        for item in read_jsonl(path):
            if not isinstance(item, Article):
                warn(str(item))
                failed += "error" in type(item).__name__.lower()
                continue
            item.body = item.body[:MAX_BODY_CHARS]  # readers leave the cut to their caller
            record = {"url": item.url, **extraction_json(extractor.extract(item), region)}
            sys.stdout.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
    except (InputError, OSError) as exc:
        fail(f"{path}: {exc}")
    return 1 if failed else 0


def _print_extraction(found: Any) -> None:
    print_table(
        "Places",
        ["place", "as written", "at"],
        [[m.place, m.surface, str(m.start)] for m in found.places],
    )
    print_table(
        "Actors",
        ["actor", "side", "as written"],
        [[m.actor, m.side, m.surface] for m in found.actors],
    )
    _figure_table("Figures", found.figures)
    _event_table("Control changes", found.events)


# ---- listings ----


def places(
    all_places: Annotated[bool, typer.Option("--all", help="Every known place.")] = False,
    json_out: JsonOption = False,
    db: DbOption = None,
    profile: ProfileOption = None,
) -> None:
    """Tracked places with their controller (every known place with --all)."""
    from core.query import place_statuses

    statuses = place_statuses(
        open_store(db), load_profile_or_fail(profile), tracked_only=not all_places
    )
    if json_out:
        emit_json(statuses)
        return
    rows = [
        [
            s.name,
            s.kind,
            s.admin1 or "-",
            str(s.mentions),
            _controller(s),
            _date(s.control_since, s.control_since_precision),
        ]
        for s in statuses
    ]
    print_table("Places", ["place", "kind", "governorate", "mentions", "held by", "since"], rows)


def _controller(status: Any) -> str:
    if not status.controlled_by_side:
        return "-"
    return f"{status.controlled_by or '?'} ({status.controlled_by_side})"


def actors(
    json_out: JsonOption = False, db: DbOption = None, profile: ProfileOption = None
) -> None:
    """Actors with their summaries, most mentioned first."""
    from core.query import actor_summaries

    summaries = actor_summaries(open_store(db), load_profile_or_fail(profile))
    if json_out:
        emit_json(summaries)
        return
    rows = [
        [a.name, a.side, str(a.mentions), ", ".join(a.places[:3]), a.summary] for a in summaries
    ]
    print_table("Actors", ["actor", "side", "mentions", "places", "summary"], rows)


def figures(
    category: Annotated[
        str | None, typer.Option("--category", help="e.g. killed, displaced")
    ] = None,
    place: Annotated[str | None, typer.Option("--place", help="Any spelling of a place")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1)] = 200,
    json_out: JsonOption = False,
    db: DbOption = None,
    profile: ProfileOption = None,
) -> None:
    """Humanitarian figures, newest first."""
    from core.query import list_figures

    _check_category(category)
    store = open_store(db)
    canonical = _canonical_place(place, profile)
    found = list_figures(store, category=category, place=canonical, limit=limit)
    if json_out:
        emit_json(found)
    else:
        _figure_table("Figures", found)


def _check_category(category: str | None) -> None:
    """A misspelt category would list nothing and look like 'no figures': refuse it instead."""
    from typing import get_args

    from core.models import FigureCategory

    known = get_args(FigureCategory)
    if category is not None and category not in known:
        fail(f"--category {category!r}: choose one of {', '.join(known)}")


def _canonical_place(place: str | None, profile_path: Path | None) -> str | None:
    if place is None:
        return None
    from core.extract.matching import get_matchers

    spec = get_matchers(load_profile_or_fail(profile_path))[0].lookup(place)
    if spec is None:
        fail(f"--place {place!r}: not a place this profile knows")
    return str(spec.name)


def _figure_table(title: str, found: list[Any]) -> None:
    rows = [
        [
            f.category,
            figure_value(f),
            f.group or "-",
            f.place or "-",
            _date(f.date),
            f.source or "-",
        ]
        for f in found
    ]
    print_table(title, ["category", "value", "group", "place", "date", "source"], rows)


def events(
    place: Annotated[str | None, typer.Option("--place", help="Any spelling of a place")] = None,
    json_out: JsonOption = False,
    db: DbOption = None,
    profile: ProfileOption = None,
) -> None:
    """Control changes, newest first."""
    from core.query import list_events

    store = open_store(db)
    found = list_events(store, place=_canonical_place(place, profile))
    if json_out:
        emit_json(found)
    else:
        _event_table("Control changes", found)


def _event_table(title: str, found: list[Any]) -> None:
    rows = [
        [
            _date(e.date, e.date_precision),
            e.place,
            e.actor or "-",
            e.side or "-",
            holder_verb(e.verb),
            e.source or "-",
        ]
        for e in found
    ]
    print_table(title, ["date", "place", "held by", "side", "how", "source"], rows)


# ---- export, reindex, eval ----


def export(
    what: Annotated[str, typer.Option("--what", help="events, figures, articles or places")],
    fmt: Annotated[str, typer.Option("--format", help="csv, jsonl or geojson")] = "jsonl",
    output: Annotated[Path | None, typer.Option("-o", "--output", help="File to create")] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing output file")] = False,
    db: DbOption = None,
    profile: ProfileOption = None,
) -> None:
    """Export events, figures, articles or places as CSV, JSON Lines or GeoJSON."""
    from core.export import ExportError, export_rows

    if output is not None:
        _check_output(output, force)
    try:
        text = export_rows(open_store(db), load_profile_or_fail(profile), what, fmt)
    except ExportError as exc:
        fail(str(exc))
    if output is None:
        sys.stdout.write(text)
        return
    _write_new_file(output, text)


def _check_output(output: Path, force: bool) -> None:
    """Refuse before exporting anything: an existing file (unless --force), a missing folder."""
    if output.exists() and not force:
        fail(f"{output}: already exists (use --force to replace it)")
    if output.is_dir():
        fail(f"{output}: is a folder; name a file to create")
    if not output.parent.is_dir():
        fail(f"{output}: folder {output.parent} does not exist")


def _write_new_file(output: Path, text: str) -> None:
    """Write through a temporary file then rename, so a failure never leaves half a file."""
    temporary = output.with_name(f".{output.name}.sitrep-tmp")
    try:
        temporary.write_text(text, encoding="utf-8")
        temporary.replace(output)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        fail(f"{output}: {exc.strerror or exc}")


def reindex(db: DbOption = None, profile: ProfileOption = None) -> None:
    """Re-run extraction over every stored article (after a profile or extractor change)."""
    from core.reindex import reindex_all

    store = open_store(db, seed=False)
    count = reindex_all(store, _extractor(profile)[1].extract)
    warn(f"reindexed {count} articles")


def eval_gold(
    gold: Annotated[Path, typer.Argument(help="Annotated JSON Lines file")],
    json_out: JsonOption = False,
    errors: Annotated[bool, typer.Option("--errors", help="List every miss and extra")] = False,
    profile: ProfileOption = None,
    db: DbOption = None,  # every command takes --db (the contract); this one reads no store
) -> None:
    """Extraction accuracy on an annotated file: precision, recall, F1 per kind."""
    from core.evaluate import GoldError, evaluate, read_gold

    region, extractor = _extractor(profile)
    place, actor = _canonicalisers(region)
    try:
        scores, count = evaluate(list(read_gold(gold)), extractor.extract_text, place, actor)
    except GoldError as exc:
        fail(str(exc))
    if json_out:
        emit_json({"items": count, **{kind: s.as_dict() for kind, s in scores.items()}})
        return
    rows = [
        [
            kind,
            f"{s.precision:.3f}",
            f"{s.recall:.3f}",
            f"{s.f1:.3f}",
            str(s.tp),
            str(s.fp),
            str(s.fn),
        ]
        for kind, s in scores.items()
    ]
    print_table(
        f"{gold} ({count} items)", ["kind", "precision", "recall", "F1", "tp", "fp", "fn"], rows
    )
    if errors:
        for kind, s in scores.items():
            for line in s.errors:
                sys.stdout.write(f"{kind}\t{line}\n")


def _canonicalisers(region: Any) -> tuple[Any, Any]:
    from core.extract.matching import get_matchers

    place_matcher, actor_matcher = get_matchers(region)

    def place(name: str) -> str:
        spec = place_matcher.lookup(name)
        return str(spec.name) if spec else name

    def actor(name: str) -> str:
        spec = actor_matcher.lookup(name)
        return str(spec.name) if spec else name

    return place, actor
