"""The `sitrep` command: a thin layer of typer commands over core."""

from __future__ import annotations

import importlib

import typer

app = typer.Typer(
    name="sitrep",
    help="Watch a conflict from the terminal: headlines, places, actors, figures.",
    no_args_is_help=False,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

# Each family of commands lives in its own module and registers itself here.
COMMAND_MODULES = ("ingest", "extract", "feeds", "dashboard")


def _register_all() -> None:
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(f"tui.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"tui.commands.{name}":
                raise
            continue
        module.register(app)


@app.callback(invoke_without_command=True)
def _default(ctx: typer.Context) -> None:
    """With no command, open the dashboard."""
    if ctx.invoked_subcommand is None:
        command = ctx.command.get_command(ctx, "dashboard")  # type: ignore[attr-defined]
        if command is None:
            typer.echo(ctx.get_help())
            raise typer.Exit(0)
        ctx.invoke(command)


_register_all()


def main() -> None:
    app()
