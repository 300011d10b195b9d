"""Old cache files removed when a new one is written.

The parsed profile and the dashboard's parsed CSS are cached per content (and per Python,
Textual and sitrep version) in the user's cache folder: every profile edit and every upgrade
writes a new file and nothing reads the old ones again. When a cache file is written, its
older siblings of the same kind beyond the few most recent are removed (several profiles
used side by side keep theirs), and so are temporary files a crash left behind.
"""

from __future__ import annotations

import contextlib
import time
from pathlib import Path

KEPT_PER_KIND = 8
STALE_PARTIAL_SECONDS = 3600.0


def prune_siblings(written: Path, pattern: str, keep: int = KEPT_PER_KIND) -> None:
    """Remove the files matching `pattern` in `written`'s folder, but `written` and the
    `keep` - 1 most recently modified others; and '<pattern>.*.tmp' files over an hour
    old. Never raises: a cache that cannot be tidied still works."""
    try:
        others = [p for p in written.parent.glob(pattern) if p != written and p.is_file()]
        others.sort(key=lambda p: p.stat().st_mtime, reverse=True)
        partials = list(written.parent.glob(f"{pattern}.*.tmp"))
    except OSError:
        return
    stale = time.time() - STALE_PARTIAL_SECONDS
    for path in others[max(0, keep - 1) :]:
        with contextlib.suppress(OSError):
            path.unlink()
    for path in partials:
        with contextlib.suppress(OSError):
            if path.stat().st_mtime < stale:
                path.unlink()
