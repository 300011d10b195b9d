"""`sitrep fetch`, `sitrep watch` and `sitrep feeds list/add/remove/import/export`."""

from __future__ import annotations

import os
import signal
import sqlite3
import stat
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Annotated, Any

import typer
from sqlite_utils import Database

from core.config import resolve_db_path
from core.fetch.feedlist import FeedURLError, add_feeds, check_feed_url, lazy_extractor, seed_feeds
from core.fetch.opml import MAX_OPML_BYTES, OpmlError, parse_opml, write_opml
from core.fetch.poller import FeedOutcome, poll_once
from core.fetch.watch import run_watch, watch_log_path
from core.models import Feed, utcnow
from core.query.feeds import due_feeds, get_feeds, list_feeds
from core.store import StoreError, delete_feed
from core.text import MAX_SOURCE_CHARS, clean_line, strip_unsafe
from tui.commands.common import (
    DbOption,
    JsonOption,
    ProfileOption,
    emit_json,
    fail,
    open_store,
    print_table,
    warn,
)

# A month; a bigger number (past SQLite's integer range) was a traceback.
MAX_FEED_INTERVAL = 30 * 24 * 3600

feeds_app = typer.Typer(
    help="Manage the feed list: list, add, remove, import and export OPML.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


def register(app: typer.Typer) -> None:
    app.command()(fetch)
    app.command()(watch)
    app.add_typer(feeds_app, name="feeds")


def _profile(path: Path | None) -> Any:
    """The region profile, or None while profile loading does not exist yet."""
    try:
        from tui.commands.common import load_profile_or_fail
    except ImportError:
        return None
    try:
        return load_profile_or_fail(path)
    except ImportError:
        return None


@contextmanager
def _store_errors() -> Iterator[None]:
    """A database that refuses the write (read-only, locked): one line, exit 2."""
    try:
        yield
    except (StoreError, sqlite3.OperationalError) as exc:
        fail(f"cannot write the feed list: {exc}")


# ---- fetch ----


def fetch(
    feed: Annotated[
        list[str] | None,
        typer.Option("--feed", help="Poll only this feed (repeatable); it joins the feed list."),
    ] = None,
    due: Annotated[
        bool, typer.Option("--due", help="Poll only feeds whose interval has passed (cron).")
    ] = False,
    db: DbOption = None,
    profile: ProfileOption = None,
    json_out: JsonOption = False,
) -> None:
    """Poll the feeds once, a line per feed; exit 1 if any feed failed."""
    database = open_store(db)
    region = _profile(profile)
    feeds = _feeds_to_poll(database, feed or [], due, region)
    printer = None if json_out else _print_outcome
    extract = lazy_extractor(region)
    report = poll_once(database, feeds, extract=extract, profile=region, on_feed=printer)
    if json_out:
        for outcome in report.outcomes:
            if outcome.status == "error":
                warn(_one_line(outcome.line()))
        emit_json([o.as_json() for o in report.outcomes])
    raise typer.Exit(1 if report.failed else 0)


def _feeds_to_poll(database: Database, urls: list[str], due: bool, region: Any) -> list[Feed]:
    if urls:
        try:
            checked = [check_feed_url(url) for url in urls]
        except FeedURLError as exc:
            fail(str(exc))
        with _store_errors():
            add_feeds(database, [Feed(url=url) for url in checked])
        return get_feeds(database, dict.fromkeys(checked))
    with _store_errors():
        seed_feeds(database, region)
    feeds = due_feeds(database, utcnow()) if due else list_feeds(database)
    if not feeds and not due:
        fail("no feeds: add one with `sitrep feeds add URL` or `sitrep feeds import FILE.opml`")
    return feeds


def _print_outcome(outcome: FeedOutcome) -> None:
    """One line per feed; server-made text (errors, warnings) never reaches the terminal raw."""
    if outcome.status == "error":
        typer.echo(_one_line(outcome.line()), err=True)
    else:
        typer.echo(_one_line(outcome.line()))


def _one_line(text: str) -> str:
    """`text` on one line without control characters or escapes (spacing kept)."""
    return strip_unsafe(" ".join(text.splitlines()))


# ---- watch ----


def watch(
    interval: Annotated[
        float | None,
        typer.Option(
            "--interval",
            min=1,
            max=MAX_FEED_INTERVAL,
            help="Seconds between polls of each feed [default: each feed's own interval, 900]",
        ),
    ] = None,
    db: DbOption = None,
    profile: ProfileOption = None,
) -> None:
    """Poll until stopped; SIGINT/SIGTERM finish the current round and exit 0."""
    open_store(db).close()  # creates (and for the default database seeds) it, or exits 2
    path, _ = resolve_db_path(db)
    region = _profile(profile)
    stop = threading.Event()
    _stop_on_signals(stop)
    progress = _FirstRoundProgress() if sys.stderr.isatty() else None
    warn(f"watching feeds (log: {watch_log_path()}); Ctrl-C stops after the current round")
    try:
        code = run_watch(
            path,
            interval,
            stop,
            profile_path=profile,
            profile=region,
            echo=progress.echo if progress else lambda line: typer.echo(line, err=True),
            on_feed=progress.feed_done if progress else None,
        )
    except StoreError as exc:
        fail(str(exc))
    raise typer.Exit(code)


def _stop_on_signals(stop: threading.Event) -> None:
    """First SIGINT/SIGTERM: finish the round, then stop. A second SIGINT: stop now."""

    def handler(signum: int, _frame: FrameType | None) -> None:
        if stop.is_set() and signum == signal.SIGINT:
            raise KeyboardInterrupt
        stop.set()
        warn("stopping after the current round")

    signal.signal(signal.SIGINT, handler)
    signal.signal(signal.SIGTERM, handler)


class _FirstRoundProgress:
    """A one-line counter on the terminal (stderr) while the first full poll runs."""

    def __init__(self) -> None:
        self.done = 0
        self.errors = 0
        self.active = True

    def feed_done(self, number: int, outcome: FeedOutcome) -> None:
        if number != 1 or not self.active:
            return
        self.done += 1
        self.errors += outcome.status == "error"
        sys.stderr.write(f"\r\x1b[Kfirst poll: {self.done} feeds done, {self.errors} errors")
        sys.stderr.flush()

    def echo(self, line: str) -> None:
        """A round's log line: the first one replaces the progress counter."""
        if self.active:
            sys.stderr.write("\r\x1b[K")
            self.active = False
        typer.echo(line, err=True)


# ---- feeds list / add / remove / import / export ----


@feeds_app.command("list")
def feeds_list(db: DbOption = None, json_out: JsonOption = False) -> None:
    """Each feed with its last status, last error, last success and article count."""
    feeds = list_feeds(open_store(db))
    if json_out:
        emit_json(feeds)
        return
    rows = [
        [
            clean_line(f.url, 4096),  # stored text is cleaned; older rows may not be
            clean_line(f.title) or "-",
            str(f.last_status or "-"),
            f.last_ok.strftime("%Y-%m-%d %H:%M") if f.last_ok else "never",
            str(f.articles),
            clean_line(f.last_error or ""),
        ]
        for f in feeds
    ]
    columns = ["url", "title", "status", "last ok (UTC)", "articles", "last error"]
    print_table(f"{len(feeds)} feed{'' if len(feeds) == 1 else 's'}", columns, rows)


@feeds_app.command("add")
def feeds_add(
    urls: Annotated[list[str], typer.Argument(help="The feeds' URLs (http or https)")],
    title: Annotated[str, typer.Option("--title", help="A name for it (one URL only)")] = "",
    category: Annotated[str | None, typer.Option("--category", help="A folder for them")] = None,
    interval: Annotated[
        int,
        typer.Option(
            "--interval", min=60, max=MAX_FEED_INTERVAL, help="Seconds between polls of each"
        ),
    ] = 900,
    db: DbOption = None,
) -> None:
    """Add feeds to the list (a listed feed is left as it is). A URL that is not a feed's is
    named on stderr and the others are still added (exit 1)."""
    if title and len(urls) > 1:
        fail("--title names one feed: add the others without it")
    checked: list[str] = []
    refused = 0
    for url in urls:
        try:
            checked.append(check_feed_url(url))
        except FeedURLError as exc:
            warn(str(exc))
            refused += 1
    if not checked:
        raise typer.Exit(2)
    folder = clean_line(category, 200) or None if category else None
    feeds = {
        url: Feed(
            url=url, title=clean_line(title, MAX_SOURCE_CHARS), category=folder, interval=interval
        )
        for url in checked
    }
    with _store_errors():
        store = open_store(db)
        listed = {feed.url for feed in get_feeds(store, list(feeds))}
        add_feeds(store, list(feeds.values()))
    for url in feeds:
        typer.echo(f"{'already listed' if url in listed else 'added'}  {url}")
    if refused:
        raise typer.Exit(1)


@feeds_app.command("remove")
def feeds_remove(
    url: Annotated[str, typer.Argument(help="The feed's URL, as `feeds list` shows it")],
    db: DbOption = None,
) -> None:
    """Remove a feed from the list (the articles it brought stay)."""
    with _store_errors():
        removed = delete_feed(open_store(db), url.strip())
    shown = clean_line(url, 300)
    if not removed:
        fail(f"{shown}: not in the feed list")
    typer.echo(f"removed  {shown}")


@feeds_app.command("import")
def feeds_import(
    file: Annotated[Path, typer.Argument(help="An OPML file")],
    db: DbOption = None,
) -> None:
    """Add the feeds an OPML file lists (titles, categories and site links kept)."""
    data = _read_opml(file)
    problems: list[str] = []
    try:
        feeds = parse_opml(data, source=clean_line(str(file), 500), problems=problems)
    except OpmlError as exc:
        fail(str(exc))
    with _store_errors():
        added = add_feeds(open_store(db), feeds)
    for problem in problems:
        warn(problem)
    shown = clean_line(str(file), 500)
    typer.echo(f"{shown}: {len(feeds)} feeds, {added} new, {len(feeds) - added} already listed")
    raise typer.Exit(1 if problems else 0)


def _read_opml(file: Path) -> bytes:
    """The file's bytes; a folder, a pipe or a device is refused before any read (a FIFO
    would block forever), and no more than the cap is ever read."""
    shown = clean_line(str(file), 500)
    try:
        info = file.stat()
        if stat.S_ISDIR(info.st_mode):
            fail(f"{shown}: is a directory, not an OPML file")
        if not stat.S_ISREG(info.st_mode):
            fail(f"{shown}: not a regular file")
        if info.st_size > MAX_OPML_BYTES:
            fail(f"{shown}: larger than {MAX_OPML_BYTES // 1_000_000} MB, not read")
        with file.open("rb") as handle:
            return handle.read(MAX_OPML_BYTES + 1)
    except OSError as exc:
        fail(f"{shown}: cannot read ({exc.strerror or exc})")


@feeds_app.command("export")
def feeds_export(
    file: Annotated[Path | None, typer.Argument(help="Write here (default: stdout)")] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace FILE if it exists")] = False,
    db: DbOption = None,
) -> None:
    """Write the feed list as OPML 2.0 (to stdout, or to a new FILE)."""
    feeds = list_feeds(open_store(db))
    data = write_opml(feeds)
    if file is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    shown = clean_line(str(file), 500)
    try:
        _write_new_file(file, data, replace=force)
    except FileExistsError:
        fail(f"{shown}: already exists; pass --force to replace it")
    except OSError as exc:
        fail(f"{shown}: cannot write ({exc.strerror or exc})")
    typer.echo(f"{shown}: {len(feeds)} feeds written", err=True)


def _write_new_file(target: Path, data: bytes, *, replace: bool) -> None:
    """Write via a temporary file in the same folder, so `target` is never half-written.

    Without `replace`, the final step is a hard link, which fails if `target` exists (no
    window in which a file created meanwhile could be clobbered).
    """
    if target.is_dir():
        raise IsADirectoryError(21, "is a directory")
    handle, temp_name = tempfile.mkstemp(dir=target.parent or Path("."), prefix=".sitrep-opml-")
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        if replace:
            os.replace(temp, target)
        else:
            os.link(temp, target)
    finally:
        temp.unlink(missing_ok=True)
