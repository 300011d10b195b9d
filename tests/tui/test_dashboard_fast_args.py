"""`sitrep` / `sitrep dashboard` read without typer: the same outcome as typer for every
argument list the fast reader accepts, typer itself for everything else."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import modules_loaded
from typer.testing import CliRunner

import tui.cli
from core.query.articles import count_articles
from core.store import open_db
from tui.app import SitrepApp
from tui.cli import app as cli
from tui.cli import dashboard_options, main, with_default_command

ACCEPTED = [
    ([], {}),
    (["dashboard"], {}),
    (["--db", "x.db"], {"db": "x.db"}),
    (["--db=x.db"], {"db": "x.db"}),
    (["dashboard", "--db", "a b=c.db", "--no-mouse"], {"db": "a b=c.db", "no_mouse": True}),
    (["--no-mouse", "--watch"], {"no_mouse": True, "watch": True}),
    (["--profile", "p.toml", "--db", "x.db"], {"profile": "p.toml", "db": "x.db"}),
    (["dashboard", "--watch", "--profile=p.toml"], {"watch": True, "profile": "p.toml"}),
]
UNSURE = [
    ["--help"],
    ["dashboard", "--help"],
    ["dashboard", "--bogus"],
    ["--db"],
    ["--db", ""],
    ["--db="],
    ["--db", "--no-mouse"],
    ["--db", "a.db", "--db", "b.db"],
    ["--watch", "--watch"],
    ["--watch=yes"],
    ["--no-mouse=1"],
    ["dashboard", "extra"],
    ["dashboard", "--", "--db"],
    ["--d", "x.db"],
    ["search", "q"],
    ["-h"],
]


@pytest.mark.parametrize(("args", "expected"), ACCEPTED)
def test_the_usual_argument_lists_are_read_without_typer(args, expected):
    assert dashboard_options(with_default_command(args)) == expected


@pytest.mark.parametrize("args", UNSURE)
def test_anything_else_is_left_to_typer(args):
    assert dashboard_options(with_default_command(args)) is None


def _record_opens(monkeypatch) -> list[tuple[tuple, dict]]:
    calls: list[tuple[tuple, dict]] = []

    def record(*args, **kwargs):
        calls.append((args, kwargs))

    monkeypatch.setattr("tui.commands.dashboard.open_dashboard", record)
    return calls


def _normalised(call: tuple[tuple, dict]) -> dict:
    args, kwargs = call
    named = dict(zip(("db", "profile"), args, strict=False)) | kwargs
    return {"db": None, "profile": None, "watch": False, "no_mouse": False} | named


@pytest.mark.parametrize(("args", "_"), ACCEPTED)
def test_the_fast_path_opens_the_dashboard_as_typer_does(monkeypatch, args, _):
    calls = _record_opens(monkeypatch)
    monkeypatch.setattr("sys.argv", ["sitrep", *args])
    main()
    result = CliRunner().invoke(cli, with_default_command(args))
    assert result.exit_code == 0, result.output
    fast, typed = calls
    assert _normalised(fast) == _normalised(typed)
    assert all(isinstance(_normalised(fast)[k], Path | None) for k in ("db", "profile"))


@pytest.mark.parametrize("args", [["dashboard", "--bogus"], ["--db"], ["--no-mouse", "--x"]])
def test_a_bad_option_gets_typers_message_and_exit_2(monkeypatch, capsys, args):
    calls = _record_opens(monkeypatch)
    monkeypatch.setattr("sys.argv", ["sitrep", *args])
    with pytest.raises(SystemExit) as exit_:
        main()
    assert exit_.value.code == 2 and not calls
    err = capsys.readouterr().err
    assert "Error: " in err and ("No such option" in err or "requires an argument" in err)


def test_the_fast_path_exits_2_with_one_line_for_a_file_that_is_not_a_database(
    monkeypatch, capsys, tmp_path
):
    bad = tmp_path / "notes.db"
    bad.write_text("not sqlite at all " * 100)
    monkeypatch.setattr("sys.argv", ["sitrep", "--db", str(bad)])
    with pytest.raises(SystemExit) as exit_:
        main()
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not a SQLite database" in err and str(bad) in err


def test_the_fast_path_exits_2_for_a_bad_profile(monkeypatch, capsys, tmp_path):
    profile = tmp_path / "bad.toml"
    profile.write_text("[[[ not toml")
    monkeypatch.setattr(
        "sys.argv", ["sitrep", "--db", str(tmp_path / "x.db"), "--profile", str(profile)]
    )
    with pytest.raises(SystemExit) as exit_:
        main()
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(profile) in err and "invalid TOML" in err


def test_the_fast_path_seeds_a_fresh_default_database(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("SITREP_DB", raising=False)
    monkeypatch.setattr("sys.argv", ["sitrep", "--no-mouse"])
    runs: list[tuple[SitrepApp, dict]] = []
    monkeypatch.setattr(SitrepApp, "run", lambda self, **kw: runs.append((self, kw)))
    main()
    ((app, kwargs),) = runs
    app.start.close()
    assert kwargs == {"mouse": False}
    assert app.notice is not None and "seeded" in app.notice
    assert count_articles(open_db(app.db_path)) > 20
    assert app.profile is not None and app.start.tracked == [
        p.name for p in app.profile.tracked_places()
    ]


def test_opening_the_dashboard_does_not_load_typer(tmp_path):
    db = tmp_path / "current.db"
    open_db(db).conn.close()
    code = (
        "import sys\n"
        "from tui.app import SitrepApp\n"
        "SitrepApp.run = lambda self, **kwargs: self.start.close()\n"
        f"sys.argv = ['sitrep', '--db', {str(db)!r}, '--no-mouse']\n"
        "from tui.cli import main\n"
        "main()\n"
    )
    assert modules_loaded(code, ("typer", "tui.startup")) == [False, True]
    assert tui.cli.DEFAULT_COMMAND == "dashboard"


def test_sitrep_looks_for_no_pydantic_plugins_unless_told_to(monkeypatch):
    """sitrep uses none; the look-up cost every start ~5-10 ms. A user's setting wins."""
    calls = _record_opens(monkeypatch)
    monkeypatch.delenv("PYDANTIC_DISABLE_PLUGINS", raising=False)
    monkeypatch.setattr("sys.argv", ["sitrep", "--no-mouse"])
    main()
    assert os.environ["PYDANTIC_DISABLE_PLUGINS"] == "__all__"
    monkeypatch.setenv("PYDANTIC_DISABLE_PLUGINS", "logfire")
    main()
    assert os.environ["PYDANTIC_DISABLE_PLUGINS"] == "logfire"
    assert len(calls) == 2
