"""The `sitrep` command: a thin layer of typer commands over core.

Each family of commands lives in tui/commands/<name>.py and registers itself on the app. The
families import heavy libraries (trafilatura, feedparser, httpx, the extractors), so `sitrep`
and `sitrep dashboard` register only the dashboard family: opening the dashboard does not wait
for parsers it never uses. Every other invocation (another command, `--help`) registers all,
and so does `from tui.cli import app`.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterable
from typing import Any

import typer

_app = typer.Typer(
    name="sitrep",
    help="Watch a conflict from the terminal: headlines, places, actors, figures.",
    no_args_is_help=False,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

COMMAND_MODULES = ("ingest", "extract", "feeds", "dashboard")
DEFAULT_COMMAND = "dashboard"
_registered: set[str] = set()


def _register(names: Iterable[str]) -> typer.Typer:
    """Register the command families `names` (once each); the app in its usual order."""
    for name in COMMAND_MODULES:
        if name not in names or name in _registered:
            continue
        _registered.add(name)
        try:
            module = importlib.import_module(f"tui.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"tui.commands.{name}":
                raise
            continue
        module.register(_app)
    return _app


def _families_for(args: list[str]) -> tuple[str, ...]:
    """The command families an argument list needs: the dashboard's alone when it opens it."""
    if not args or args[0] == DEFAULT_COMMAND:
        return (DEFAULT_COMMAND,)
    return COMMAND_MODULES


@_app.callback(invoke_without_command=True)
def _default(ctx: typer.Context) -> None:
    """With no command, open the dashboard."""
    if ctx.invoked_subcommand is None:
        command = ctx.command.get_command(ctx, DEFAULT_COMMAND)  # type: ignore[attr-defined]
        if command is None:
            typer.echo(ctx.get_help())
            raise typer.Exit(0)
        ctx.invoke(command)


def __getattr__(name: str) -> Any:
    """`tui.cli.app`: the app with every command family registered."""
    if name == "app":
        return _register(COMMAND_MODULES)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def with_default_command(args: list[str]) -> list[str]:
    """`sitrep --db X` (options but no command) means `sitrep dashboard --db X`."""
    if args and args[0].startswith("-") and args[0] != "--help":
        return [DEFAULT_COMMAND, *args]
    return args


def main() -> None:
    args = with_default_command(sys.argv[1:])
    _register(_families_for(args))
    _app(args=args)
