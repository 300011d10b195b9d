"""Options and helpers every `sitrep` command shares: --db, --profile, --json, errors.

typer loads only when a command is registered (the option types below) or a message is
printed: `sitrep dashboard` opens without it (see tui.cli).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from pydantic import BaseModel

from core.config import resolve_db_path
from core.text import strip_unsafe

if TYPE_CHECKING:
    from sqlite_utils import Database

OPTION_HELP = {
    "DbOption": ("--db", "SQLite database file [env: SITREP_DB; default: user data dir]"),
    "ProfileOption": ("--profile", "Region profile TOML [env: SITREP_PROFILE; default: Idlib]"),
}


def __getattr__(name: str) -> Any:
    """DbOption, ProfileOption, JsonOption: the shared option types, made with typer on
    first use (a command module imports them as it is registered)."""
    if name not in (*OPTION_HELP, "JsonOption"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from typing import Annotated

    import typer

    if name == "JsonOption":
        text = "Print one JSON document on stdout."
        option: Any = Annotated[bool, typer.Option("--json", help=text)]
    else:
        flag, text = OPTION_HELP[name]
        option = Annotated[Path | None, typer.Option(flag, help=text)]
    globals()[name] = option
    return option


def fail(message: str, code: int = 2) -> NoReturn:
    """One line on stderr, then exit (2: nothing could be done)."""
    import typer

    typer.echo(f"sitrep: {_one_line(message)}", err=True)
    raise typer.Exit(code)


def warn(message: str) -> None:
    import typer

    typer.echo(f"sitrep: {_one_line(message)}", err=True)


def _one_line(message: str) -> str:
    """Messages name user paths and URLs: never let them carry escapes to the terminal."""
    return strip_unsafe(message).replace("\n", " ").replace("\t", " ")


def open_store(db: Path | None, *, seed: bool = True) -> Database:
    """Open the chosen database; the embedded default seeds itself from the samples once."""
    from core.store import StoreError, open_db  # the writer (sqlite-utils) loads only here

    path, is_default = resolve_db_path(db)
    try:
        database = open_db(path)
    except StoreError as exc:
        fail(str(exc))
    if is_default and seed:
        _seed_default(database)
    return database


def _seed_default(database: Database) -> None:
    try:
        from core.ingest.seed import seed_if_empty
    except ImportError:  # ingest not built yet
        return
    seeded = seed_if_empty(database)
    if seeded:
        warn(f"new database: seeded it with {seeded} sample articles from sample_data/")


def emit_json(data: BaseModel | Iterable[BaseModel] | dict[str, Any] | list[Any]) -> None:
    """Print one JSON document (models dumped in JSON mode) and nothing else on stdout."""
    if isinstance(data, BaseModel):
        payload: Any = data.model_dump(mode="json")
    elif isinstance(data, dict):
        payload = data
    else:
        payload = [d.model_dump(mode="json") if isinstance(d, BaseModel) else d for d in data]
    sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")


def print_table(title: str, columns: list[str], rows: list[list[str]]) -> None:
    """A rich table on a terminal; aligned plain text otherwise (cron, mail, pipes)."""
    if sys.stdout.isatty():
        from rich.console import Console
        from rich.table import Table
        from rich.text import Text

        table = Table(title=Text(strip_unsafe(title)), title_justify="left")
        for column in columns:
            table.add_column(column, overflow="fold")
        for row in rows:
            table.add_row(
                *(Text(strip_unsafe(cell)) for cell in row)
            )  # Text: feed text is never markup
        Console().print(table)
        return
    widths = [max([len(c), *(len(r[i]) for r in rows)]) for i, c in enumerate(columns)]
    lines = [title, "  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip()]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    sys.stdout.write("\n".join(lines) + "\n\n")


def load_profile_or_fail(path: Path | None) -> Any:
    """The region profile (explicit, SITREP_PROFILE, or built-in), or exit 2 naming the error."""
    from core.profile import ProfileError, load_profile

    try:
        return load_profile(path)
    except ProfileError as exc:
        fail(str(exc))
