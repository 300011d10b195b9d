"""The dashboard's all-time actor counts: every article that names the actor, dated or not,
syndicated copies left out (read from the per-day counts, not by scanning every mention)."""

from __future__ import annotations

from pathlib import Path

from sqlite_utils import Database

from core.pipeline import ingest_paths
from core.query.dashboard import _all_actor_counts
from core.store import open_db

STORY = "Turkish troops shelled government positions near Saraqeb while Russian jets struck Ariha."
OTHER = "Russian jets hit Maarat al-Numan, killing five civilians, the White Helmets said."


def _articles(tmp_path: Path) -> Path:
    lines = [
        # an undated story and its copy under another url
        f'{{"url": "https://a.example/1", "title": "Shelling near Saraqeb", "body": "{STORY}"}}',
        f'{{"url": "https://b.example/1", "title": "Shelling near Saraqeb", "body": "{STORY}"}}',
        # a dated story, its copy, and an article of its own
        f'{{"url": "https://c.example/2", "title": "Strike", "body": "{OTHER}", '
        '"published": "2020-01-20"}',
        f'{{"url": "https://d.example/2", "title": "Strike", "body": "{OTHER}", '
        '"published": "2020-01-20"}',
        '{"url": "https://e.example/3", "title": "Talks", "body": "Russian and Turkish '
        'officials met in Moscow to discuss a ceasefire.", "published": "2020-03-05"}',
    ]
    path = tmp_path / "articles.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _recount(db: Database) -> dict[str, int]:
    """The definition, counted the slow way: mentions of articles that copy no other."""
    rows = db.execute(
        "select am.actor, count(*) from actor_mentions am join articles a on a.url = am.url "
        "where a.dup_of is null group by am.actor"
    ).fetchall()
    return {name: count for name, count in rows}


def test_all_time_counts_take_undated_articles_and_leave_out_copies(tmp_path: Path) -> None:
    from core.extract.pipeline import Extractor

    db = open_db(tmp_path / "counts.db")
    summary = ingest_paths(db, [_articles(tmp_path)], extractor=Extractor().extract)
    assert summary.ingested == 5
    copies = db.execute("select count(*) from articles where dup_of is not null").fetchone()[0]
    assert copies == 2, "the two re-published stories must be grouped as copies"

    counts = _all_actor_counts(db)
    assert counts == _recount(db)
    assert counts["Russia"] == 3  # the undated story, the dated one and the talks; no copy
