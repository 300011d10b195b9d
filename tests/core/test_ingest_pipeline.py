"""ingest_paths: walking folders, batches, idempotence, extraction only when needed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from sqlite_utils import Database

import core.pipeline
from core.config import sample_data_dir
from core.ingest.seed import seed_if_empty
from core.models import Article, Extraction, PlaceMention
from core.pipeline import ingest_paths
from core.query.articles import count_articles, get_article
from core.query.feeds import list_feeds


def write_jsonl(path: Path, count: int, start: int = 0, word: str = "shelling") -> Path:
    with path.open("w", encoding="utf-8") as out:
        for n in range(start, start + count):
            body = (
                f"Report {n}: {word} near village number {n} on Monday, witnesses said {n} times."
            )
            out.write(json.dumps({"url": f"https://x.example/{n}", "title": f"T{n}", "body": body}))
            out.write("\n")
    return path


def test_fixture_folder_ingests_every_format(db: Database, ingest_fixtures: Path) -> None:
    summary = ingest_paths(db, [ingest_fixtures])
    # 6 text files (one not an article), 2 HTML, 2+1 JSON, 5-line JSONL, 3 feeds, 1 OPML
    assert summary.ingested == 5 + 2 + 3 + 2 + 4
    assert summary.feeds_added == 2
    assert summary.failed == 1 + 1 + 3  # the CSV, the JSON item, three JSONL lines
    assert any("not_an_article.txt" in f and "not an article" in f for f in summary.failures)
    assert any("bulletins.jsonl:2:" in f for f in summary.failures)
    assert count_articles(db) == summary.ingested
    assert {f.url for f in list_feeds(db)} == {
        "https://wire.example/syria/feed.xml",
        "https://notebook.example/atom.xml",
    }


def test_reingest_is_idempotent(db: Database, ingest_fixtures: Path) -> None:
    first = ingest_paths(db, [ingest_fixtures])
    second = ingest_paths(db, [ingest_fixtures])
    assert (second.ingested, second.updated, second.feeds_added) == (0, 0, 0)
    assert second.duplicates == first.ingested + first.feeds_added
    assert count_articles(db) == first.ingested


def test_changed_article_is_updated_not_duplicated(db: Database, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "a.jsonl", 3)
    ingest_paths(db, [path])
    write_jsonl(path, 3, word="air strikes")
    summary = ingest_paths(db, [path])
    assert (summary.ingested, summary.updated) == (0, 3)
    assert count_articles(db) == 3
    stored = get_article(db, "https://x.example/1")
    assert stored is not None and "air strikes" in stored.body


def test_many_articles_span_several_batches(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(core.pipeline, "BATCH_SIZE", 7)
    path = write_jsonl(tmp_path / "a.jsonl", 50)
    seen: list[int] = []
    summary = ingest_paths(db, [path], progress=lambda p: seen.append(p.articles))
    assert summary.ingested == 50 and count_articles(db) == 50
    assert seen == sorted(seen) and seen[-1] == 50 and len(seen) > 5


def test_extractor_runs_only_on_new_or_changed_articles(db: Database, tmp_path: Path) -> None:
    calls: list[str] = []

    def extractor(article: Article) -> Extraction:
        calls.append(article.url)
        return Extraction(places=[PlaceMention(place="Ariha", surface="Ariha", start=0, end=5)])

    path = write_jsonl(tmp_path / "a.jsonl", 4)
    ingest_paths(db, [path], extractor=extractor)
    assert len(calls) == 4
    ingest_paths(db, [path], extractor=extractor)
    assert len(calls) == 4
    write_jsonl(path, 1, word="clashes")
    ingest_paths(db, [path], extractor=extractor)
    assert calls[-1] == "https://x.example/0" and len(calls) == 5
    rows = db.execute("select url, place from place_mentions order by url").fetchall()
    assert rows == [(f"https://x.example/{n}", "Ariha") for n in range(4)]


def test_a_failing_extractor_keeps_the_article(db: Database, tmp_path: Path) -> None:
    def broken(article: Article) -> Extraction:
        raise ValueError("boom")

    summary = ingest_paths(db, [write_jsonl(tmp_path / "a.jsonl", 2)], extractor=broken)
    assert summary.ingested == 2 and summary.failed == 0
    assert len(summary.warnings) == 2 and "boom" in summary.warnings[0]


def test_walk_skips_hidden_readme_and_unknown_types(db: Database, tmp_path: Path) -> None:
    tmp_path = tmp_path / "data"
    tmp_path.mkdir()
    write_jsonl(tmp_path / "a.jsonl", 1)
    (tmp_path / ".hidden").mkdir()
    write_jsonl(tmp_path / ".hidden" / "b.jsonl", 1, start=10)
    write_jsonl(tmp_path / ".c.jsonl", 1, start=20)
    (tmp_path / "README.md").write_text("About this folder\n\nThese files are articles for tests.")
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    summary = ingest_paths(db, [tmp_path])
    assert summary.ingested == 1 and summary.failed == 0
    assert any("skipped 1 files of unknown type" in note for note in summary.notes)


def test_missing_and_unsupported_paths_fail_alone(db: Database, tmp_path: Path) -> None:
    good = write_jsonl(tmp_path / "a.jsonl", 2)
    (tmp_path / "doc.pdf").write_bytes(b"%PDF-1.4")
    summary = ingest_paths(db, [tmp_path / "missing.txt", tmp_path / "doc.pdf", good])
    assert summary.ingested == 2 and summary.failed == 2
    assert any("missing.txt: no such file" in f for f in summary.failures)
    assert any("doc.pdf: unsupported file type '.pdf'" in f for f in summary.failures)


def test_opml_import_keeps_known_feeds_state(db: Database, ingest_fixtures: Path) -> None:
    from core.models import Feed
    from core.store import upsert_feed

    upsert_feed(db, Feed(url="https://wire.example/syria/feed.xml", title="Mine", etag='"v1"'))
    db.conn.commit()
    summary = ingest_paths(db, [ingest_fixtures / "feeds.opml"])
    assert summary.feeds_added == 1
    [wire] = [f for f in list_feeds(db) if f.url == "https://wire.example/syria/feed.xml"]
    assert (wire.title, wire.etag) == ("Mine", '"v1"')


def test_sample_data_smoke(db: Database) -> None:
    summary = ingest_paths(db, [sample_data_dir()])
    assert summary.failed == 0, summary.failures
    assert summary.ingested + summary.grouped >= 40


def test_seed_if_empty_only_seeds_an_empty_database(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    samples = tmp_path / "samples"
    samples.mkdir()
    write_jsonl(samples / "a.jsonl", 3)
    monkeypatch.setattr("core.ingest.seed.sample_data_dir", lambda: samples)
    monkeypatch.setattr("core.pipeline.load_extractor", lambda: None)
    assert seed_if_empty(db) == 3
    shutil.rmtree(samples)
    samples.mkdir()
    write_jsonl(samples / "b.jsonl", 2, start=100)
    assert seed_if_empty(db) == 0
    assert count_articles(db) == 3


def test_a_file_of_bad_lines_keeps_counting_but_not_every_message(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(core.pipeline, "MAX_KEPT_MESSAGES", 10)
    path = tmp_path / "bad.jsonl"
    path.write_text("{not json}\n" * 25 + json.dumps({"url": "https://x.example/ok", "body": "b"}))
    summary = ingest_paths(db, [path])
    assert (summary.failed, len(summary.failures), summary.ingested) == (25, 10, 1)
    assert summary.failures[0].startswith(f"{path}:1: invalid JSON")


def test_a_path_that_is_not_a_regular_file_fails_alone(db: Database, tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    summary = ingest_paths(db, [fifo, write_jsonl(tmp_path / "a.jsonl", 1)])
    assert summary.ingested == 1
    assert summary.failures == [f"{fifo}: not a regular file"]


# ---- the background writer: batches written while the next ones are parsed ----


def write_versions(path: Path, versions: list[tuple[int, str]]) -> Path:
    """One JSON line per (article number, word): the same url may come back changed."""
    with path.open("w", encoding="utf-8") as out:
        for n, word in versions:
            body = f"Report {n}: {word} near village number {n}, witnesses said."
            out.write(json.dumps({"url": f"https://x.example/{n}", "title": f"T{n}", "body": body}))
            out.write("\n")
    return path


def test_batches_written_in_the_background_land_in_order(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A url changed in one batch and changed back in the next ends with the last version,
    though the second batch is read while the first is still being written."""
    monkeypatch.setattr(core.pipeline, "BATCH_SIZE", 5)
    first = [(n, "shelling") for n in range(20)]
    changed = [(n, "airstrikes") for n in range(10)]
    back = [(n, "shelling") for n in range(10)]
    summary = ingest_paths(db, [write_versions(tmp_path / "a.jsonl", first + changed + back)])
    assert (summary.ingested, summary.updated, summary.duplicates) == (20, 20, 0)
    assert count_articles(db) == 20
    stored = get_article(db, "https://x.example/3")
    assert stored is not None and "shelling" in stored.body
    fts = "select count(*) from articles_fts where articles_fts match ?"
    assert db.execute(fts, ["airstrikes"]).fetchone()[0] == 0
    assert db.execute(fts, ["shelling"]).fetchone()[0] == 20


def test_extraction_sees_every_earlier_batch_written(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Stored v0, then v1 and v0 again in the next two batches: the last write is a change
    (v1 -> v0), so it is extracted again and keeps its extraction rows."""
    monkeypatch.setattr(core.pipeline, "BATCH_SIZE", 1)
    extracted: list[str] = []

    def extractor(article: Article) -> Extraction:
        extracted.append(article.body)
        return Extraction(places=[PlaceMention(place="Ariha", surface="Ariha", start=0, end=5)])

    ingest_paths(db, [write_versions(tmp_path / "a.jsonl", [(1, "shelling")])], extractor=extractor)
    again = write_versions(tmp_path / "b.jsonl", [(1, "airstrikes"), (1, "shelling")])
    summary = ingest_paths(db, [again], extractor=extractor)
    assert summary.updated == 2 and len(extracted) == 3
    assert db.execute("select place from place_mentions").fetchall() == [("Ariha",)]


def test_a_write_that_fails_stops_the_run_with_the_batches_before_it_counted(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from core.store import StoreError, write_batch

    monkeypatch.setattr(core.pipeline, "BATCH_SIZE", 10)
    calls: list[int] = []

    def failing_second_batch(*args: object) -> object:
        calls.append(1)
        if len(calls) == 2:
            raise StoreError("the database is read-only")
        return write_batch(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(core.pipeline, "write_batch", failing_second_batch)
    summary = ingest_paths(db, [write_jsonl(tmp_path / "a.jsonl", 35)])
    assert summary.fatal == "the database is read-only"
    assert summary.ingested == 10 and count_articles(db) == 10


def test_ctrl_c_counts_exactly_what_was_stored(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(core.pipeline, "BATCH_SIZE", 10)

    def interrupt_on_fourth_report(progress: object) -> None:
        reports.append(1)
        if len(reports) == 4:
            raise KeyboardInterrupt

    reports: list[int] = []
    summary = ingest_paths(
        db, [write_jsonl(tmp_path / "a.jsonl", 100)], progress=interrupt_on_fourth_report
    )
    assert summary.interrupted
    assert 0 < summary.ingested < 100 and count_articles(db) == summary.ingested


def test_an_in_memory_database_is_written_on_its_own_connection(tmp_path: Path) -> None:
    from core.store import migrations

    memory = Database(memory=True)
    migrations.apply(memory)
    summary = ingest_paths(memory, [write_jsonl(tmp_path / "a.jsonl", 3)])
    assert summary.ingested == 3 and count_articles(memory) == 3


def test_a_caller_holding_a_transaction_gets_a_store_error_not_a_wait(
    db: Database, tmp_path: Path
) -> None:
    """A second connection would wait out the busy timeout on the caller's own write lock;
    the batches go to the caller's connection instead, which refuses a nested transaction
    at once, as before the background writer."""
    db.conn.execute("insert into meta (key, value) values ('note', 'pending')")
    assert db.conn.in_transaction
    summary = ingest_paths(db, [write_jsonl(tmp_path / "a.jsonl", 3)])
    assert summary.fatal is not None and "transaction" in summary.fatal
    assert summary.ingested == 0


def stored_rows(db: Database) -> list[tuple[object, ...]]:
    return db.execute(
        "select url, title, body, published, source, content_hash, dup_of, simhash, extra "
        "from articles order by url"
    ).fetchall()


def test_a_large_input_read_in_a_child_process_lands_as_read_in_this_one(
    ingest_fixtures: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every format, the bad files and lines, warnings and feeds: the same summary and the
    same rows whether the files are read here or by the forked reader."""
    from core.store import open_db

    results = []
    for limit in (10**12, 0):  # never / always read in a child process
        monkeypatch.setattr(core.pipeline, "PARALLEL_MIN_BYTES", limit)
        monkeypatch.setattr(core.pipeline, "can_fork", lambda: True)
        folder = tmp_path / str(limit) / "reports"
        db = open_db(tmp_path / f"{limit}.db")
        shutil.copytree(ingest_fixtures, folder)
        write_jsonl(folder / "many.jsonl", 30)
        seen: list[int] = []
        summary = ingest_paths(
            db, [folder], progress=lambda p, seen=seen: seen.append(p.files_done)
        )
        summary.failures = [f.replace(str(folder), "") for f in summary.failures]
        summary.warnings = [w.replace(str(folder), "") for w in summary.warnings]
        rows = [tuple(str(v).replace(folder.as_uri(), "") for v in r) for r in stored_rows(db)]
        results.append((summary.line(), summary.failures, summary.warnings, seen, rows))
        db.close()
    assert results[0][0].startswith("ingested 46,")
    assert results[0] == results[1]


def test_a_child_reader_that_dies_is_a_failure_not_a_hang(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(core.pipeline, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(core.pipeline, "can_fork", lambda: True)

    def die(*args: object, **kwargs: object) -> object:
        import os

        os._exit(3)

    monkeypatch.setattr(core.pipeline, "read_events", die)
    summary = ingest_paths(db, [write_jsonl(tmp_path / "a.jsonl", 5)])
    assert summary.failures == ["ingest: the reading process stopped before the end"]
    assert count_articles(db) == 0


def test_articles_stored_without_a_date_are_counted_in_a_note(db: Database, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    body = (
        "BEIRUT, Feb 6 (Reuters) - Syrian government forces advanced on Saraqeb on Thursday as "
        "Turkish reinforcements moved into Idlib province, residents and a war monitor said."
    )
    (folder / "wire.txt").write_text(f"Army advances near Saraqeb\n\n{body}\n")
    (folder / "dated.txt").write_text(f"Title: Army advances\nDate: 2020-02-06\n\n{body} Again.\n")
    first = ingest_paths(db, [folder])
    assert first.ingested == 2 and first.undated == 1
    assert any(
        n.startswith("1 new or changed article has no publication date") for n in first.notes
    )
    again = ingest_paths(db, [folder])  # unchanged re-reads add nothing
    assert again.duplicates == 2 and again.undated == 0 and not again.notes
    (folder / "wire.txt").write_text(f"Army advances near Saraqeb\n\n{body} Updated.\n")
    changed = ingest_paths(db, [folder])
    assert changed.updated == 1 and changed.undated == 1
