"""The thread that writes a forked round's feeds, on its own connection.

In a round parsed by forked workers, the polling process writes every feed (a forked
worker must not touch SQLite: the parent holds a connection). Those writes are about half
of its work, and while the event loop's thread ran them it read no responses and handed
the workers no documents: they sat idle for a write's length, again and again. This thread
takes the writes instead: SQLite does most of a write in C with the GIL released, so the
event loop goes on downloading meanwhile.

One thread, so writes land in the order they were queued. Its connection is opened after
the workers were forked (a forked worker must not inherit one that is in use) and closed
when the round ends, and the thread ends with it, so no thread outlives the round (the
next round may fork again).
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor

from sqlite_utils import Database

from core.fetch.workers import FeedWrite, write_in_turn
from core.store import BatchResult, StoreError, open_db

log = logging.getLogger(__name__)


class RoundWriter:
    """Writes queued feeds in turn (`write_in_turn`) on a thread of its own."""

    def __init__(self, db: Database) -> None:
        self._db = db  # opened for this thread alone
        self._thread = ThreadPoolExecutor(1, thread_name_prefix="sitrep-writer")

    @classmethod
    def open(cls, db_file: str) -> RoundWriter | None:
        """A writer on its own connection to `db_file` (its thread starts with the first
        write); None if that connection cannot be opened: the round writes in-process."""
        try:
            return cls(open_db(db_file, threadsafe=True))
        except StoreError as exc:
            log.warning("no writer thread (%s); writing in-process", exc)
            return None

    def write(self, writes: list[FeedWrite]) -> asyncio.Future[list[BatchResult | Exception]]:
        """The feeds' results (each a BatchResult, or that feed's error) once written."""
        return asyncio.wrap_future(self._thread.submit(write_in_turn, self._db, writes))

    def close(self) -> None:
        """Wait for the writes queued so far, end the thread, close the connection."""
        self._thread.shutdown(wait=True)
        self._db.close()
