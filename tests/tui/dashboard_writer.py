"""Another process writing to the database while dashboards read it (used by the live tests).

Usage: python dashboard_writer.py DB FILE.jsonl  - writes the articles in batches of 200, each
batch one transaction, the way `sitrep ingest` does.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from core.models import Article, Extraction, PlaceMention
from core.store import open_db, write_batch


def main(db_path: str, jsonl: str) -> None:
    db = open_db(db_path)
    batch: list[tuple[Article, Extraction | None]] = []
    for line in Path(jsonl).read_text().splitlines():
        data = json.loads(line)
        places = [
            PlaceMention(place=p, surface=p, start=0, end=len(p)) for p in data.pop("places", [])
        ]
        batch.append((Article(**data), Extraction(places=places)))
        if len(batch) == 200:
            write_batch(db, batch)
            batch = []
    if batch:
        write_batch(db, batch)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
