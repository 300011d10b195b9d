"""Which extraction a database holds: a digest of the code and data that extraction runs on.

Extraction is stored at ingest, so after an upgrade that changes the rules, the articles
already stored keep what the old rules found until `sitrep reindex` re-runs them. The store
records the digest of the extraction that wrote a database's articles (`EXTRACTED_WITH` in
`meta`, see `core.store.note_extraction`); `sitrep report` and the dashboard compare it with
this one and say when a reindex is due. A digest of the files, not a version number that
someone must remember to bump: any change to the rules or the bundled gazetteer counts.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

EXTRACTED_WITH = "extracted_with"  # the `meta` key


@cache
def extraction_version() -> str:
    """A short digest of core/extract/*.py and the bundled profiles and gazetteer."""
    here = Path(__file__).resolve().parent
    files = sorted([*here.glob("*.py"), *(here.parent / "profiles").glob("*.*")])
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
