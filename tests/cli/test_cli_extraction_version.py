"""After an upgrade that changes extraction, the report and the dashboard say a reindex is
due, until `sitrep reindex` has run; a fresh database never says so."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from core.extraction_version import EXTRACTED_WITH, extraction_version
from core.store import get_meta, open_db, set_meta, write_transaction
from tui.cli import app

SAMPLES = Path(__file__).resolve().parents[2] / "sample_data" / "articles"
HINT = "sitrep reindex"


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def _report(db: Path) -> tuple[bool, str]:
    """`report --json`'s extraction_current, and what the text report printed on stderr."""
    code, out, _ = _run("report", "--db", str(db), "--json")
    assert code == 0
    text_code, _, err = _run("report", "--db", str(db))
    assert text_code == 0
    return json.loads(out)["extraction_current"], err


def _pretend_an_older_sitrep_wrote(db: Path) -> None:
    store = open_db(db)
    with write_transaction(store):
        set_meta(store, EXTRACTED_WITH, "older-rules")
    store.conn.close()


def test_a_fresh_ingest_is_current_and_says_nothing(tmp_path: Path) -> None:
    db = tmp_path / "fresh.db"
    assert _run("ingest", str(SAMPLES / "text"), "--db", str(db))[0] == 0
    current, err = _report(db)
    assert current is True and HINT not in err
    assert get_meta(open_db(db), EXTRACTED_WITH) == extraction_version()


def test_extraction_from_older_rules_asks_for_a_reindex_until_it_runs(tmp_path: Path) -> None:
    db = tmp_path / "upgraded.db"
    assert _run("ingest", str(SAMPLES / "text"), "--db", str(db))[0] == 0
    _pretend_an_older_sitrep_wrote(db)
    current, err = _report(db)
    assert current is False
    assert f"`sitrep reindex --db {db}`" in err and err.count("\n") == 1  # one line
    # new articles extracted by this version do not make the older ones current
    assert _run("ingest", str(SAMPLES / "json"), "--db", str(db))[0] == 0
    assert _report(db)[0] is False
    code, _, err = _run("reindex", "--db", str(db))
    assert code == 0 and "reindexed" in err
    current, err = _report(db)
    assert current is True and HINT not in err


def test_articles_stored_without_extraction_ask_for_a_reindex(tmp_path: Path) -> None:
    db = tmp_path / "bare.db"
    assert _run("ingest", str(SAMPLES / "text"), "--db", str(db), "--no-extract")[0] == 0
    assert _report(db)[0] is False
    assert _run("reindex", "--db", str(db))[0] == 0
    assert _report(db)[0] is True


def test_an_empty_database_is_current(tmp_path: Path) -> None:
    db = tmp_path / "empty.db"
    open_db(db).conn.close()
    assert _report(db) == (True, "")
