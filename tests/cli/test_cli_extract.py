"""The extraction commands as a user runs them: extract, places, actors, figures, events,
export, reindex and eval, on a real database ingested from the bundled samples."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tui.cli import app

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "sample_data"


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("samples") / "sitrep.db"
    result = CliRunner().invoke(app, ["ingest", str(SAMPLES), "--db", str(path)])
    assert result.exit_code == 0, result.stderr
    return path


def _json(args: list[str]) -> object:
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_extract_reads_stdin_and_names_places_actors_figures(tmp_path: Path) -> None:
    text = (
        "Regime forces recaptured Saraqib on Monday. Russian air strikes killed five "
        "civilians in Idlib city, including two children, the White Helmets said."
    )
    found = CliRunner().invoke(app, ["extract", "-", "--json"], input=text)
    assert found.exit_code == 0, found.stderr
    data = json.loads(found.stdout)
    assert {"Saraqeb", "Idlib"} <= {p["name"] for p in data["places"]}
    assert {"Syrian government", "Russia", "White Helmets"} <= {a["name"] for a in data["actors"]}
    assert {(f["category"], f["value"], f["group"]) for f in data["figures"]} >= {
        ("killed", 5, "civilians"),
        ("killed", 2, "children"),
    }
    assert [(e["place"], e["side"]) for e in data["events"]] == [("Saraqeb", "government")]


def test_extract_jsonl_gives_one_object_per_article_and_names_bad_lines(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    good = {"url": "https://x.example/1", "title": "Nairab", "body": "Rebels retook Nairab."}
    source.write_text(json.dumps(good) + "\n{broken\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["extract", str(source)])
    assert result.exit_code == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["url"] for line in lines] == ["https://x.example/1"]
    assert f"{source}:2" in result.stderr


def test_places_json_has_contract_keys_and_controllers(sample_db: Path) -> None:
    places = _json(["places", "--db", str(sample_db), "--json"])
    assert isinstance(places, list)
    keys = {
        "name",
        "kind",
        "lat",
        "lon",
        "admin1",
        "tracked",
        "mentions",
        "last_mentioned",
        "controlled_by",
        "controlled_by_side",
        "control_since",
    }
    assert keys <= set(places[0])
    by_name = {p["name"]: p for p in places}
    assert {"Al-Nayrab", "Saraqeb", "Jisr al-Shighour"} <= set(by_name)
    assert by_name["Al-Nayrab"]["controlled_by_side"] == "opposition"
    assert all(p["tracked"] for p in places)
    everything = _json(["places", "--all", "--db", str(sample_db), "--json"])
    assert len(everything) > len(places) * 5


def test_actors_figures_events_json(sample_db: Path) -> None:
    actors = _json(["actors", "--db", str(sample_db), "--json"])
    assert {
        "name",
        "side",
        "kind",
        "aliases",
        "mentions",
        "places",
        "last_mentioned",
        "summary",
    } <= set(actors[0])
    assert actors[0]["mentions"] >= actors[-1]["mentions"]
    killed = _json(["figures", "--category", "killed", "--db", str(sample_db), "--json"])
    assert killed and {f["category"] for f in killed} == {"killed"}
    assert {
        "value",
        "low",
        "high",
        "qualifier",
        "group",
        "place",
        "actor",
        "date",
        "sentence",
        "url",
        "source",
    } <= set(killed[0])
    events = _json(["events", "--place", "Neirab", "--db", str(sample_db), "--json"])
    assert events and {e["place"] for e in events} == {"Al-Nayrab"}
    assert all(e["type"] == "control_change" and e["sentence"] for e in events)


def test_unknown_place_is_a_clear_usage_error(sample_db: Path) -> None:
    result = CliRunner().invoke(app, ["events", "--place", "Atlantis", "--db", str(sample_db)])
    assert result.exit_code == 2
    assert "Atlantis" in result.stderr and "Traceback" not in result.stderr


def test_export_never_overwrites_a_user_file(sample_db: Path, tmp_path: Path) -> None:
    target = tmp_path / "events.geojson"
    target.write_text("my notes", encoding="utf-8")
    base = ["export", "--what", "events", "--format", "geojson", "--db", str(sample_db)]
    refused = CliRunner().invoke(app, [*base, "-o", str(target)])
    assert refused.exit_code == 2 and "already exists" in refused.stderr
    assert target.read_text(encoding="utf-8") == "my notes"
    fresh = tmp_path / "new.geojson"
    made = CliRunner().invoke(app, [*base, "-o", str(fresh)])
    assert made.exit_code == 0, made.stderr
    collection = json.loads(fresh.read_text(encoding="utf-8"))
    assert collection["type"] == "FeatureCollection" and collection["features"]


def test_export_csv_to_stdout_and_bad_format(sample_db: Path) -> None:
    result = CliRunner().invoke(
        app, ["export", "--what", "figures", "--format", "csv", "--db", str(sample_db)]
    )
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0].startswith("category,value,low,high")
    bad = CliRunner().invoke(
        app, ["export", "--what", "figures", "--format", "xls", "--db", str(sample_db)]
    )
    assert bad.exit_code == 2 and "--format" in bad.stderr


def test_reindex_rebuilds_the_same_extraction(sample_db: Path) -> None:
    before = _json(["events", "--db", str(sample_db), "--json"])
    result = CliRunner().invoke(app, ["reindex", "--db", str(sample_db)])
    assert result.exit_code == 0 and "reindexed 46 articles" in result.stderr
    assert _json(["events", "--db", str(sample_db), "--json"]) == before


def test_eval_scores_a_gold_file_and_names_a_bad_line(tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    item = {
        "id": "x1",
        "published": "2020-02-24",
        "text": "Rebels recaptured Saraqib on Monday.",
        "places": ["Saraqib"],
        "actors": ["Syrian opposition"],
        "figures": [],
        "events": [{"place": "Saraqeb", "side": "opposition"}],
    }
    gold.write_text(json.dumps(item) + "\n", encoding="utf-8")
    scores = _json(["eval", str(gold), "--json"])
    assert scores["items"] == 1
    assert scores["places"]["f1"] == 1.0 and scores["events"]["recall"] == 1.0
    gold.write_text(json.dumps(item) + '\n{"id": "x2"}\n', encoding="utf-8")
    bad = CliRunner().invoke(app, ["eval", str(gold)])
    assert bad.exit_code == 2 and f"{gold}:2" in bad.stderr and "text" in bad.stderr


def test_events_table_reads_from_the_holders_side(sample_db: Path) -> None:
    """The text table names who holds the place and how, in the holder's voice (the JSON keeps
    the verb as found): 'withdrew from' beside the government misread who withdrew."""
    result = CliRunner().invoke(app, ["events", "--place", "Nairab", "--db", str(sample_db)])
    assert result.exit_code == 0
    header = next(line for line in result.stdout.splitlines() if line.startswith("date"))
    assert header.split()[:5] == ["date", "place", "held", "by", "side"]
    assert "won (rival left)" in result.stdout
    assert "withdrew from" not in result.stdout
    raw = _json(["events", "--place", "Nairab", "--db", str(sample_db), "--json"])
    assert "withdrew from" in {event["verb"] for event in raw}  # type: ignore[union-attr]


def test_extract_and_eval_take_db_like_every_command(tmp_path: Path) -> None:
    """The contract: --db on every command (these two read no store, and create none)."""
    db = tmp_path / "never.db"
    result = CliRunner().invoke(app, ["extract", "--db", str(db)], input="Rebels retook Sarmin.")
    assert result.exit_code == 0 and "Sarmin" in result.stdout
    gold = tmp_path / "gold.jsonl"
    gold.write_text('{"id": "1", "text": "Rebels retook Sarmin."}\n', encoding="utf-8")
    assert CliRunner().invoke(app, ["eval", str(gold), "--db", str(db)]).exit_code == 0
    assert not db.exists()


def test_search_finds_every_spelling_of_a_place(sample_db: Path) -> None:
    """Outlets write Saraqeb and Saraqib: either spelling finds the articles of both."""
    one = _json(["search", "Saraqib", "--db", str(sample_db), "--json", "-n", "100"])
    other = _json(["search", "Saraqeb", "--db", str(sample_db), "--json", "-n", "100"])
    assert {h["url"] for h in one} == {h["url"] for h in other}  # type: ignore[index,union-attr]
    assert len(one) > 20  # type: ignore[arg-type]


def test_places_csv_keeps_arabic_aliases_readable(sample_db: Path) -> None:
    result = CliRunner().invoke(
        app, ["export", "--what", "places", "--format", "csv", "--db", str(sample_db)]
    )
    assert result.exit_code == 0
    assert "سراقب" in result.stdout and "\\u06" not in result.stdout
