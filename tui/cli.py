"""The `sitrep` command: a thin layer of typer commands over core.

Each family of commands lives in tui/commands/<name>.py and registers itself on the app. The
families import heavy libraries (trafilatura, feedparser, httpx, the extractors), so `sitrep`
and `sitrep dashboard` register only the dashboard family: opening the dashboard does not wait
for parsers it never uses. Every other invocation (another command, `--help`) registers all,
and so does `from tui.cli import app`.

The usual ways to open the dashboard (`sitrep`, `sitrep --db X`, `sitrep dashboard --db X
--no-mouse`...) are read here without typer at all (typer and click take ~45 ms to load, as
long as the dashboard's whole first read): `dashboard_options` accepts only argument lists
whose meaning is certain and leaves everything else (help, a bad option, a repeated one,
another command) to typer, so every message and exit code stays typer's own.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import typer

COMMAND_MODULES = ("ingest", "extract", "feeds", "dashboard")
DEFAULT_COMMAND = "dashboard"
# The dashboard's options: those that take a value (keyword in `open_dashboard`) and flags.
DASHBOARD_VALUES = {"--db": "db", "--profile": "profile"}
DASHBOARD_FLAGS = {"--watch": "watch", "--no-mouse": "no_mouse"}
_registered: set[str] = set()
_typer_app: typer.Typer | None = None


def _app() -> typer.Typer:
    """The typer app (built on first use, with the callback that opens the dashboard)."""
    global _typer_app
    if _typer_app is None:
        import typer

        _usage_errors_on_one_line()

        _typer_app = typer.Typer(
            name="sitrep",
            help="Watch a conflict from the terminal: headlines, places, actors, figures.",
            no_args_is_help=False,
            add_completion=False,
            pretty_exceptions_enable=False,
            rich_markup_mode=None,
        )
        _default.__annotations__ = {"ctx": typer.Context, "return": None}  # typer is loaded now
        _typer_app.callback(invoke_without_command=True)(_default)
    return _typer_app


def _usage_errors_on_one_line() -> None:
    """A usage error on one line: what is wrong (the option, argument or command named) and
    the help to read, where click prints the usage, a hint, a blank line and the error.
    typer raises and shows the errors of the click it carries (typer._click); the click
    package's class is set too, for a typer that uses it."""
    import click
    import typer

    carried = getattr(getattr(typer, "_click", None), "exceptions", None)
    for exceptions in {click.exceptions, carried} - {None}:
        exceptions.UsageError.show = _show_usage_error  # type: ignore[union-attr]


def _show_usage_error(self: Any, file: Any = None) -> None:
    command = self.ctx.command_path if self.ctx is not None else "sitrep"
    message = self.format_message().rstrip(".")
    stream = file if file is not None else sys.stderr
    stream.write(f"Error: {message} (try '{command} --help')\n")


def _register(names: Iterable[str]) -> typer.Typer:
    """Register the command families `names` (once each); the app in its usual order."""
    app = _app()
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
        module.register(app)
    return app


def _families_for(args: list[str]) -> tuple[str, ...]:
    """The command families an argument list needs: the dashboard's alone when it opens it."""
    if not args or args[0] == DEFAULT_COMMAND:
        return (DEFAULT_COMMAND,)
    return COMMAND_MODULES


def _default(ctx: typer.Context) -> None:
    """With no command, open the dashboard."""
    if ctx.invoked_subcommand is None:
        import typer

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
    """`sitrep --db X` (options but no command) means `sitrep dashboard --db X`, and
    `sitrep --db X report` means `sitrep report --db X`: the options every command shares
    may come before the command, as they do before the dashboard's."""
    moved = _options_before_a_command(args)
    if moved is not None:
        return moved
    if args and args[0].startswith("-") and args[0] != "--help":
        return [DEFAULT_COMMAND, *args]
    return args


def _options_before_a_command(args: list[str]) -> list[str] | None:
    """`--db X [--profile Y] COMMAND ...` as `COMMAND ... --db X [--profile Y]` (before any
    `--`, so they stay options); None when the list does not start that way."""
    index = 0
    while index < len(args):
        name, equals, _ = args[index].partition("=")
        if name not in DASHBOARD_VALUES:
            break
        index += 1 if equals else 2
    if index == 0 or index >= len(args) or args[index].startswith("-"):
        return None
    leading, rest = args[:index], args[index:]
    end = rest.index("--") if "--" in rest else len(rest)
    return [*rest[:end], *leading, *rest[end:]]


def dashboard_options(args: list[str]) -> dict[str, Any] | None:
    """The dashboard's options when `args` (after `with_default_command`) surely open it
    with them; None when unsure (help, an unknown or repeated option, a value that is
    missing, empty or starts with '-', `--`...): typer then reads the list as ever."""
    if args and args[0] != DEFAULT_COMMAND:
        return None
    options: dict[str, Any] = {}
    rest = iter(args[1:])
    for arg in rest:
        name, equals, value = arg.partition("=")
        if name in DASHBOARD_FLAGS and not equals:
            key, found = DASHBOARD_FLAGS[name], True
        elif name in DASHBOARD_VALUES:
            key, found = DASHBOARD_VALUES[name], value if equals else next(rest, "")
            if not found or found.startswith("-"):
                return None
        else:
            return None
        if key in options:
            return None
        options[key] = found
    return options


def _open_dashboard(options: dict[str, Any]) -> None:
    """What typer would run for these options, with its exits: `fail` raises typer.Exit
    (click's Exit, a RuntimeError with an exit code), an interrupt is 'Aborted!'."""
    from pathlib import Path

    from tui.commands.dashboard import open_dashboard

    paths = {key: Path(options[key]) for key in DASHBOARD_VALUES.values() if key in options}
    flags = {key: key in options for key in DASHBOARD_FLAGS.values()}
    try:
        open_dashboard(**paths, **flags)
    except RuntimeError as exc:
        code = getattr(exc, "exit_code", None)
        if not isinstance(code, int):
            raise
        sys.exit(code)
    except (EOFError, KeyboardInterrupt):
        sys.stderr.write("\nAborted!\n")
        sys.exit(1)


def main() -> None:
    # sitrep uses no pydantic plugin; looking for installed ones costs every start ~5-10 ms
    # when the first model is validated. An explicit setting in the environment still wins.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    args = with_default_command(sys.argv[1:])
    options = dashboard_options(args)
    if options is not None:
        _open_dashboard(options)
        return
    app = _register(_families_for(args))
    app(args=args)
