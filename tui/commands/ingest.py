"""`sitrep ingest`, `sitrep search` and `sitrep report`."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from core.models import Report, SearchHit, day_text
from core.pipeline import IngestProgress, IngestSummary, ingest_paths
from core.query.actors import holder_verb
from core.query.articles import search as search_articles
from core.query.fts import build_match
from core.query.report import build_report
from core.text import clean_line
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

MAX_FAILURE_LINES = 100
MAX_QUERY_SHOWN = 80
MAX_QUERY_TERMS = 32
_QUERY_TERM = re.compile(r'"[^"]*"|\S+')  # as core.query.fts reads it: phrases and words
MAX_SEARCH_LIMIT = 100_000  # past SQLite's integer range, a bigger number was a traceback
# Exit status after Ctrl-C (128 + SIGINT), as shells report it.
EXIT_INTERRUPTED = 130
# A progress bar is worth drawing only for a run this long (files or bytes).
PROGRESS_MIN_FILES = 20
PROGRESS_MIN_BYTES = 5 * 2**20


def register(app: typer.Typer) -> None:
    app.command()(ingest)
    app.command()(search)
    app.command()(report)


# ---- ingest ----


def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files and folders (read recursively).")],
    db: DbOption = None,
    profile: ProfileOption = None,
    no_extract: Annotated[
        bool, typer.Option("--no-extract", help="Store only; run `sitrep reindex` later.")
    ] = False,
) -> None:
    """Ingest articles from text, HTML, JSON/JSONL and feed files; OPML adds feeds."""
    database = open_store(db, seed=False)
    extractor = None if no_extract else _extractor(profile)
    with _progress_bar() as progress:
        summary = ingest_paths(database, paths, extractor=extractor, progress=progress)
    _print_summary(summary, db)
    raise typer.Exit(_exit_code(summary))


def _extractor(profile_path: Path | None) -> Callable[[Any], Any] | None:
    """The extraction step, or None while the extraction package does not exist yet."""
    try:
        from core.extract.pipeline import Extractor
    except ModuleNotFoundError as exc:
        if exc.name != "core.extract.pipeline":
            raise
        return None
    return Extractor(load_profile_or_fail(profile_path)).extract  # type: ignore[no-any-return]


@contextmanager
def _progress_bar() -> Iterator[Callable[[IngestProgress], None] | None]:
    """A rich progress bar on stderr when it is a terminal and the run is long."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn

    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    task = bar.add_task("ingesting", total=None, visible=False)

    def update(state: IngestProgress) -> None:
        long_run = (
            state.files_total >= PROGRESS_MIN_FILES or state.bytes_total >= PROGRESS_MIN_BYTES
        )
        if long_run and not bar.live.is_started:
            bar.start()
        # Progress inside one file is not known: a single big file pulses and counts articles.
        bar.update(
            task,
            total=max(state.bytes_total, 1) if state.files_total > 1 else None,
            completed=state.bytes_done,
            visible=long_run,
            description=f"{state.files_done}/{state.files_total} files, {state.articles} articles",
        )

    try:
        yield update
    finally:
        bar.stop()


def _print_summary(summary: IngestSummary, db: Path | None) -> None:
    """Failures, warnings and notes (capped), then the one-line summary, all on stderr.

    File names and parser messages are untrusted too: each line is cleaned so a hostile
    file name cannot send escape sequences to the terminal.
    """
    lines = summary.failures[:MAX_FAILURE_LINES]
    if summary.failed > MAX_FAILURE_LINES:
        lines.append(f"... and {summary.failed - MAX_FAILURE_LINES} more failures")
    lines += [f"warning: {message}" for message in summary.warnings[:MAX_FAILURE_LINES]]
    lines += [f"note: {note}" for note in summary.notes]
    if summary.fatal:
        lines.append(summary.fatal if db is None else f"{db}: {summary.fatal}")
    if summary.interrupted:
        lines.append("interrupted: what is counted below was stored, the rest was not read")
    for line in lines:
        warn(clean_line(line, 2_000))
    typer.echo(summary.line(), err=True)


def _exit_code(summary: IngestSummary) -> int:
    """0 all landed; 1 some failed, the rest landed; 2 nothing could be done; 130 Ctrl-C."""
    if summary.interrupted:
        return EXIT_INTERRUPTED
    if summary.fatal or (summary.failed and not summary.landed):
        return 2 if not summary.landed else 1
    return 1 if summary.failed else 0


# ---- search ----


def search(
    query: Annotated[str, typer.Argument(help='Words to find; "a phrase", prefix*.')],
    limit: Annotated[
        int, typer.Option("--limit", "-n", min=1, max=MAX_SEARCH_LIMIT, help="At most N results.")
    ] = 20,
    ranked: Annotated[bool, typer.Option("--ranked", help="Best match first.")] = False,
    db: DbOption = None,
    json: JsonOption = False,
    profile: ProfileOption = None,
) -> None:
    """Full-text search over titles and bodies, newest first; a place's other spellings
    (Saraqib, Saraqeb) are searched for too."""
    terms = len(_QUERY_TERM.findall(query))
    if terms > MAX_QUERY_TERMS:  # 3,000 copies of `a*` kept SQLite busy for minutes
        fail(f"search: {terms:,} words or phrases in the query; at most {MAX_QUERY_TERMS}")
    store = open_store(db)
    spellings = _spellings(profile)
    hits = search_articles(store, query, limit=limit, ranked=ranked, spellings=spellings)
    if json:
        emit_json(hits)
    elif sys.stdout.isatty():
        print_table(
            f"{len(hits)} results",  # not the query: a table title is read as rich markup
            ["date", "source", "title", "snippet"],
            _safe_rows([[_day(h.published), h.source, _title(h.title), h.snippet] for h in hits]),
        )
    else:
        sys.stdout.write("".join(_plain_hit(hit) for hit in hits))
    if not hits and not json:  # hostile or empty queries are no error: an empty list
        nothing = "no word to search for in" if build_match(query) is None else "no articles match"
        warn(f"{nothing} {_shown_query(query)}")


def _spellings(path: Path | None) -> Any:
    """The profile's place spellings for search, or None without the extraction package."""
    region = _profile(path)
    if region is None:
        return None
    from core.extract.spellings import place_spellings

    return place_spellings(region)


def _shown_query(query: str) -> str:
    """The query quoted for an error line: escapes visible (repr), long ones cut."""
    if len(query) <= MAX_QUERY_SHOWN:
        return repr(query)
    return f"{query[:MAX_QUERY_SHOWN]!r}... ({len(query):,} characters)"


def _plain_hit(hit: SearchHit) -> str:
    """Stored text is cleaned at ingest; cleaning again keeps a database written by anything
    else from sending escape sequences to the terminal."""
    snippet = clean_line(hit.snippet, 2_000)
    title, source, url = (
        _title(clean_line(hit.title)),
        clean_line(hit.source),
        clean_line(hit.url, 4096),
    )
    return f"{_day(hit.published)}  {source}  {title}\n  {url}\n  {snippet}\n"


def _title(title: str) -> str:
    """An article object may come without a title: say so, as the dashboard does."""
    return title or "(untitled)"


def _day(value: datetime | None) -> str:
    return value.date().isoformat() if value else "-"


# ---- report ----


def report(
    since: Annotated[
        str | None, typer.Option("--since", help="Only news since DATE (2020-02-01, '7 days ago').")
    ] = None,
    db: DbOption = None,
    profile: ProfileOption = None,
    json: JsonOption = False,
) -> None:
    """A plain-text situation report: counts, sources, dates, headlines (and extraction)."""
    start = _parse_since(since) if since else None
    store = open_store(db)
    result = build_report(store, _profile(profile), start)
    if not result.extraction_current:
        warn(f"note: {REINDEX_DUE}: run `sitrep reindex{_db_flag(db)}`")
    if json:
        emit_json(result)
        return
    _print_report(result, start)


REINDEX_DUE = (
    "the stored places, actors and figures come from another sitrep version's rules (or none)"
)


def _db_flag(db: Path | None) -> str:
    return f" --db {db}" if db is not None else ""


def _parse_since(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        import dateparser

        found = dateparser.parse(text, languages=["en"], settings={"TIMEZONE": "UTC"})
        if found is None:
            fail(f"--since: cannot read {text!r} as a date (try 2020-02-01 or '7 days ago')")
        value = found
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _profile(path: Path | None) -> Any:
    """The region profile for the extraction sections, once profile loading exists."""
    try:
        from core.profile import load_profile  # noqa: F401
    except ImportError:
        return None
    return load_profile_or_fail(path)


ReportSection = Callable[[Report], tuple[str, list[str], list[list[str]]] | None]


def _print_report(result: Report, since: datetime | None) -> None:
    span = f"{_day(result.earliest)} to {_day(result.latest)}"
    header = f"sitrep situation report ({datetime.now(UTC):%Y-%m-%d %H:%M} UTC)"
    lines = [header, f"{result.articles} articles from {len(result.sources)} sources, {span}"]
    if since is not None:
        lines.append(f"headlines and events since {since:%Y-%m-%d %H:%M} UTC")
    sys.stdout.write("\n".join(lines) + "\n\n")
    for section in REPORT_SECTIONS:
        table = section(result)
        if table is not None:
            title, columns, rows = table
            print_table(title, columns, _safe_rows(rows))


def _safe_rows(rows: list[list[str]]) -> list[list[str]]:
    """Cells as single clean lines: no escape sequence reaches the terminal, whatever wrote
    the database (stored text is cleaned at ingest; this is the second line of defence)."""
    return [[clean_line(cell, 2_000) for cell in row] for row in rows]


def _sources_section(result: Report) -> tuple[str, list[str], list[list[str]]] | None:
    rows = [[s.source, str(s.articles)] for s in result.sources]
    return ("Sources", ["source", "articles"], rows) if rows else None


def _headlines_section(result: Report) -> tuple[str, list[str], list[list[str]]] | None:
    rows = [
        [_day(h.published), h.source, _title(h.title), ", ".join(h.also_sources)]
        for h in result.headlines
    ]
    return ("Latest headlines", ["date", "source", "title", "also in"], rows) if rows else None


def _places_section(result: Report) -> tuple[str, list[str], list[list[str]]] | None:
    rows = [
        [
            p.name,
            str(p.mentions),
            p.controlled_by or "-",
            _day_or_dash(p.control_since, p.control_since_precision),
        ]
        for p in result.places
        if p.mentions or p.controlled_by
    ]
    return ("Places", ["place", "mentions", "held by", "since"], rows) if rows else None


def _actors_section(result: Report) -> tuple[str, list[str], list[list[str]]] | None:
    rows = [[a.name, a.side, str(a.mentions), a.summary] for a in result.actors]
    return ("Actors", ["actor", "side", "mentions", "summary"], rows) if rows else None


def _figures_section(result: Report) -> tuple[str, list[str], list[list[str]]] | None:
    rows = [
        [
            _day_or_dash(f.date),
            f.category,
            figure_value(f),
            f.group or "-",
            f.place or "-",
            f.source,
        ]
        for f in result.figures
    ]
    columns = ["date", "category", "value", "group", "place", "source"]
    return ("Figures", columns, rows) if rows else None


def _events_section(result: Report) -> tuple[str, list[str], list[list[str]]] | None:
    rows = [
        [
            _day_or_dash(e.date, e.date_precision),
            e.place,
            e.actor or "-",
            holder_verb(e.verb),
            e.source,
        ]
        for e in result.events
    ]
    columns = ["date", "place", "held by", "how", "source"]
    return ("Control changes", columns, rows) if rows else None


def _day_or_dash(value: Any, precision: str = "day") -> str:
    return day_text(value, precision) if value is not None else "-"


# The report's sections in order; each returns (title, columns, rows) or None to skip.
REPORT_SECTIONS: list[ReportSection] = [
    _sources_section,
    _headlines_section,
    _places_section,
    _actors_section,
    _figures_section,
    _events_section,
]
