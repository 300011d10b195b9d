"""Which extraction a database holds: a digest of the code and data that extraction runs on.

Extraction is stored at ingest, so after an upgrade that changes the rules, the articles
already stored keep what the old rules found until `sitrep reindex` re-runs them. The store
records the digest of the extraction that wrote a database's articles (`EXTRACTED_WITH` in
`meta`, see `core.store.note_extraction`); `sitrep report` and the dashboard compare it with
this one and say when a reindex is due. A digest of the files, not a version number that
someone must remember to bump: any change to the rules or the bundled gazetteer counts.
"""

from __future__ import annotations

import zlib
from functools import cache
from pathlib import Path

EXTRACTED_WITH = "extracted_with"  # the `meta` key


@cache
def extraction_version() -> str:
    """A digest of core/extract/*.py and the bundled profiles and gazetteer: a CRC-32 of each
    file's name and bytes (a change detector, not a security check; the dashboard computes it
    as it opens, and zlib loads in a fraction of hashlib's time)."""
    core = Path(__file__).resolve().parent
    files = sorted([*(core / "extract").glob("*.py"), *(core / "profiles").glob("*.*")])
    crc = 0
    for path in files:
        crc = zlib.crc32(path.read_bytes(), zlib.crc32(path.name.encode(), crc))
    return f"{crc:08x}-{len(files)}"
