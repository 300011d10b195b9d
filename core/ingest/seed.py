"""Seeding a fresh database with the bundled sample articles."""

from __future__ import annotations

from sqlite_utils import Database

from core.config import sample_data_dir
from core.query.articles import count_articles


def seed_if_empty(db: Database) -> int:
    """Ingest the bundled samples into an empty database; returns how many articles landed.

    Extraction runs when the extraction package is installed, so the seeded dashboard has
    places and figures from the start.
    """
    folder = sample_data_dir()
    if count_articles(db) or not folder.is_dir():
        return 0
    from core.pipeline import ingest_paths, load_extractor

    summary = ingest_paths(db, [folder], extractor=load_extractor())
    if summary.interrupted:
        raise KeyboardInterrupt
    return summary.ingested
