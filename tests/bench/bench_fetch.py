"""Fetch benchmark: 200 feeds from a local server, sitrep's poller beside newsboat.

A server process (so it does not share sitrep's GIL) serves 200 generated RSS feeds of 20
items each, with ETag and Last-Modified, answering conditional requests with 304. It listens
on all of 127.0.0.1-127.0.0.20 (20 "publishers" of 10 feeds each, so per-host politeness
limits apply as they would on the real web) and counts every byte it sends (status line,
headers and body).

Measured in the same run:

* sitrep first poll (empty database): fetch, parse, store; then the same with extraction
  when the extraction pipeline is available (what `sitrep fetch` does);
* sitrep re-poll with nothing changed (conditional GET: 304s);
* newsboat `-x reload` of the same 200 feeds, first and again, with its default
  reload-threads (1) and with reload-threads 16 (sitrep's overall connection limit).
  Skipped with a message when newsboat is not installed (Debian: apt-get install newsboat).

Both tools start cold for every run: sitrep polls in a fresh process (so its worker pool
starts inside the timed poll, as in `sitrep fetch`: forked from the polling process, or from
a forkserver where threads run; the interpreter's start and imports are not timed: that
includes the HTTP stack under httpx, httpcore and anyio, which sitrep's fetch client imports
with itself and httpx alone would import on the first request), newsboat is a fresh
process with an empty cache. Neither fetches article pages: every entry carries
its full text in content:encoded (sitrep only fetches a page for a summary-only entry). Per
feed, sitrep downloads, parses (feedparser), fingerprints each entry for near-duplicates,
indexes it for full-text search and commits the feed's entries with its state in one
transaction (shared by the feeds that queued up while the previous one was written, on the
polling process's writer thread); newsboat downloads, parses and caches the items.

Besides wall time, each line shows the CPU seconds the tool used (all its processes:
sitrep's worker processes included), the steadier figure on a shared machine. sitrep's
figures both cover the round only (not creating the database and adding the feeds before
it); newsboat's cover its whole run.

Then the floor: each part of sitrep's round timed alone, one after another in one fresh
process (CPU seconds): downloading the 200 feeds (sitrep's HTTP client), parsing them
(`parse_here`, what a worker does: feedparser, then entries to articles and their
near-duplicate fingerprints; feedparser's own share shown apart) and storing them (what the
polling process does, its event loop and its writer thread: sort out each feed's new
entries, write them with the feed's state, full-text index included, up to 32 feeds per
transaction, about as the writer thread batches them in a round; writing one feed per
transaction is shown beside it). Their sum over
the machine's cores is the fastest any split of that work over the cores could poll, with no
overhead at all.

The headline sitrep lines poll without extraction; `sitrep fetch` extracts every new
article too, measured once after them and compared with newsboat's median as well.

Each measurement runs REPEAT times, the tools alternating, and the median is reported (the
machine is shared; load changes during a run should hit both tools alike).

Run by hand:  .venv/bin/python tests/bench/bench_fetch.py [FEEDS] [ITEMS] [REPEAT]
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import hashlib
import multiprocessing as mp
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

HOSTS = 20
WORDS = [
    "shelling",
    "displaced",
    "convoy",
    "crossing",
    "village",
    "town",
    "offensive",
    "ceasefire",
    "residents",
    "aid",
    "hospital",
    "road",
    "highway",
    "front",
    "line",
    "monitors",
    "reported",
    "killed",
    "injured",
    "families",
    "camps",
]


def vocabulary(size: int = 3000) -> list[str]:
    """Pronounceable made-up words (a fixed seed): text as varied as real news."""
    rng = random.Random(1)
    syllables = ["ka", "ri", "mo", "sa", "de", "lu", "ne", "ta", "bo", "ha", "zi", "qu", "an", "el"]
    return ["".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))) for _ in range(size)]


WORDS = vocabulary()


def feed_document(index: int, items: int) -> bytes:
    """An RSS 2.0 feed of `items` entries, each with ~250 words of content:encoded."""
    rng = random.Random(index)
    start = datetime(2020, 1, 1, tzinfo=UTC) + timedelta(days=index)
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">',
        f"<channel><title>Publisher {index}</title><link>http://pub{index}.example/</link>",
    ]
    for n in range(items):
        words = " ".join(rng.choice(WORDS) for _ in range(250))
        link = f"http://pub{index}.example/story/{n}"
        parts.append(
            f"<item><title>Report {index}-{n}: {escape(words[:60])}</title><link>{link}</link>"
            f"<guid>{link}</guid><pubDate>{format_datetime(start + timedelta(hours=n))}"
            f"</pubDate><content:encoded>{escape(f'<p>{words}</p>')}"
            "</content:encoded></item>"
        )
    parts.append("</channel></rss>")
    return "\n".join(parts).encode()


def serve(port: int, feeds: int, items: int, sent: Any, ready: Any) -> None:
    """The server process: /feed/N with ETag + Last-Modified; counts bytes it sends."""
    docs = {f"/feed/{i}": feed_document(i, items) for i in range(feeds)}
    tags = {path: '"' + hashlib.sha1(body).hexdigest()[:16] + '"' for path, body in docs.items()}
    modified = "Wed, 01 Jan 2020 00:00:00 GMT"

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            body = docs.get(self.path)
            if body is None:
                self._reply(404, b"", {})
                return
            tag = tags[self.path]
            fresh = self.headers.get("If-None-Match") == tag or (
                self.headers.get("If-None-Match") is None
                and self.headers.get("If-Modified-Since") == modified
            )
            headers = {
                "ETag": tag,
                "Last-Modified": modified,
                "Content-Type": "application/rss+xml",
            }
            self._reply(304 if fresh else 200, b"" if fresh else body, headers)

        def _reply(self, status: int, body: bytes, headers: dict[str, str]) -> None:
            lines = [f"HTTP/1.1 {status} {self.responses[status][0]}"]
            lines += [f"{k}: {v}" for k, v in headers.items()]
            lines += [f"Content-Length: {len(body)}", "", ""]
            data = "\r\n".join(lines).encode() + body
            self.wfile.write(data)
            with sent.get_lock():
                sent.value += len(data)

        def log_message(self, *args: Any) -> None:
            pass

    class Server(ThreadingHTTPServer):
        # The listen backlog is set when the socket is bound, in the constructor: setting it
        # on the instance afterwards left Python's default of 5, so a client opening more
        # connections at once than that saw SYNs dropped and waited a second for the retry
        # (a real publisher's server has a backlog of hundreds: nginx 511).
        request_queue_size = 256
        daemon_threads = True

    server = Server(("0.0.0.0", port), Handler)
    ready.set()
    server.serve_forever()


def feed_urls(port: int, feeds: int) -> list[str]:
    return [f"http://127.0.0.{1 + i % HOSTS}:{port}/feed/{i}" for i in range(feeds)]


def sitrep_poll(
    db_path: Path, urls: list[str], extract: Any = None, profile: Any = None
) -> tuple[float, int, int, float]:
    """One round over `urls` into `db_path`: (seconds, feeds failed, new articles, CPU
    seconds of this process during the round). Creating the database and adding the feeds
    (`sitrep feeds add`) come before the round and are in neither figure."""
    from core.fetch.poller import Poller
    from core.models import Feed
    from core.query.feeds import get_feeds
    from core.store import open_db, upsert_feed

    db = open_db(db_path)
    if not get_feeds(db, urls[:1]):
        for url in urls:
            upsert_feed(db, Feed(url=url))
    feeds = get_feeds(db, urls)
    began, cpu = time.perf_counter(), time.process_time()
    report = asyncio.run(Poller(db, extract=extract, profile=profile).poll(feeds))
    seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
    db.close()
    return seconds, report.failed, report.new, cpu


def _poll_child(conn: Any, db_path: Path, urls: list[str], with_extraction: bool) -> None:
    """In a fresh process: one sitrep round. Sends (seconds, failed, new, CPU seconds of
    this process during the round, of this process in all, the forkserver's pid)."""
    extract, profile = extraction() if with_extraction else (None, None)
    seconds, failed, new, during = sitrep_poll(db_path, urls, extract, profile)
    from multiprocessing import forkserver

    pid = getattr(forkserver._forkserver, "_forkserver_pid", None)
    conn.send((seconds, failed, new, during, time.process_time(), pid))


def _adopt_orphans() -> bool:
    """Become the parent of orphaned descendants (Linux PR_SET_CHILD_SUBREAPER), so the
    CPU time of sitrep's worker processes comes back to this process when reaped."""
    try:
        return bool(ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0) == 0)
    except (OSError, AttributeError):
        return False


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def cold_sitrep_poll(
    db_path: Path, urls: list[str], with_extraction: bool = False
) -> tuple[float, int, int, float]:
    """`sitrep_poll` in a fresh process: (seconds, failed, new, CPU seconds the round took
    in all processes, its workers included when this platform lets us adopt them)."""
    context = mp.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_poll_child, args=(sender, db_path, urls, with_extraction))
    before = children_cpu()
    child.start()
    seconds, failed, new, during, in_all, forkserver_pid = receiver.recv()
    child.join()
    if forkserver_pid is not None:
        # The forkserver (which reaped the workers) ends once its parent is gone.
        with contextlib.suppress(ChildProcessError):
            os.waitpid(forkserver_pid, 0)
    # The child's start and imports are not timed, nor counted; its workers all are.
    return seconds, failed, new, children_cpu() - before - in_all + during


def newsboat_reload(home: Path, urls: list[str], threads: int | None) -> tuple[float, float]:
    """`newsboat -x reload` with its own url file, config and cache under `home`."""
    home.mkdir(parents=True, exist_ok=True)
    (home / "urls").write_text("\n".join(urls) + "\n")
    config = home / "config"
    config.write_text(f"reload-threads {threads}\n" if threads else "")
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local"),
    }
    command = [
        "newsboat",
        "-x",
        "reload",
        "-u",
        str(home / "urls"),
        "-c",
        str(home / "cache.db"),
        "-C",
        str(config),
    ]
    before = children_cpu()
    began = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    seconds = time.perf_counter() - began
    if done.returncode != 0:
        print(f"  newsboat exited {done.returncode}: {done.stderr.strip()[:200]}")
    return seconds, children_cpu() - before


def measured(sent: Any, action: Any) -> tuple[Any, int]:
    with sent.get_lock():
        sent.value = 0
    result = action()
    return result, int(sent.value)


def extraction() -> tuple[Any, Any]:
    """(extract, profile) as `sitrep fetch` uses them, or (None, None) when unavailable:
    the extractor is built on first use, inside the timed round, as the command's is."""
    try:
        from core.fetch.feedlist import lazy_extractor, load_region

        region = load_region()
        return lazy_extractor(region), region
    except Exception as exc:  # the pipeline is someone else's work in progress
        print(f"  (extraction unavailable: {type(exc).__name__}: {exc})")
        return None, None


Timing = tuple[float, int, float]  # seconds, bytes the server sent, CPU seconds
Floor = dict[str, float]  # part of the round -> CPU seconds


def _floor_child(conn: Any, db_path: Path, urls: list[str]) -> None:
    """In a fresh process: sitrep's round in parts, each timed alone (CPU seconds)."""
    import feedparser

    from core.fetch.client import Fetcher
    from core.fetch.guard import UrlGuard, host_is_private, system_resolver
    from core.fetch.poller import WRITE_GROUP_MAX_FEEDS
    from core.fetch.settings import FetchSettings
    from core.fetch.workers import (
        FeedJob,
        FeedWrite,
        WriteGroup,
        changed_articles,
        parse_here,
        sort_articles,
        write_feed,
        write_feeds,
    )
    from core.models import Feed
    from core.store import open_db, upsert_feed

    settings = FetchSettings()

    async def download(fetcher: Fetcher, url: str) -> Any:
        private = await host_is_private(url, system_resolver)
        guard = UrlGuard(allow_private=private, resolver=system_resolver)
        return await fetcher.get(url, guard=guard, max_bytes=settings.feed_max_bytes)

    async def download_all() -> list[Any]:
        async with Fetcher(settings) as fetcher:
            return list(await asyncio.gather(*(download(fetcher, url) for url in urls)))

    cpu = time.process_time()
    fetched = asyncio.run(download_all())
    floor = {"download": time.process_time() - cpu}
    feeds = [Feed(url=url) for url in urls]
    jobs = [
        FeedJob(feed, got.body, {**got.headers, "content-location": got.final_url}, feed, 1.0)
        for feed, got in zip(feeds, fetched, strict=True)
    ]
    in_feedparser = [0.0]
    original = feedparser.parse

    def timed(*args: Any, **kwargs: Any) -> Any:
        began = time.process_time()
        try:
            return original(*args, **kwargs)
        finally:
            in_feedparser[0] += time.process_time() - began

    feedparser.parse = timed
    cpu = time.process_time()
    parsed = [parse_here(job) for job in jobs]
    floor["parse"] = time.process_time() - cpu
    feedparser.parse = original
    floor["feedparser"] = in_feedparser[0]
    assert not any(result.error for result, _ in parsed), "a feed did not parse"
    db = open_db(db_path)
    for feed in feeds:
        upsert_feed(db, feed)
    cpu = time.process_time()
    group = WriteGroup()
    for feed, (result, prints) in zip(feeds, parsed, strict=True):
        fresh, _, rewrites = sort_articles(db, feed, result.articles)
        fingerprints = [prints.get(article.content_hash) for article in fresh]
        write = FeedWrite([(article, None) for article in fresh], fingerprints, feed, rewrites)
        if len(group.writes) == WRITE_GROUP_MAX_FEEDS or not group.admits(db, write):
            write_feeds(db, group.writes)
            group = WriteGroup()
        group.add(write)
    write_feeds(db, group.writes)
    floor["store"] = time.process_time() - cpu
    db.close()
    db = open_db(db_path.with_name(f"alone-{db_path.name}"))
    for feed in feeds:
        upsert_feed(db, feed)
    cpu = time.process_time()
    for feed, (result, prints) in zip(feeds, parsed, strict=True):
        fresh, _ = changed_articles(db, feed, result.articles)
        fingerprints = [prints.get(article.content_hash) for article in fresh]
        write_feed(db, [(article, None) for article in fresh], feed, fingerprints)
    floor["store alone"] = time.process_time() - cpu
    db.close()
    conn.send(floor)


def sitrep_floor(db_path: Path, urls: list[str]) -> Floor:
    """`_floor_child` in a fresh process (its start and imports are not timed)."""
    context = mp.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_floor_child, args=(sender, db_path, urls))
    child.start()
    floor: Floor = receiver.recv()
    child.join()
    return floor


def sitrep_pair(sent: Any, urls: list[str], folder: Path) -> tuple[Timing, Timing, int]:
    """First poll and no-change re-poll into a fresh database: timings and new articles."""
    folder.mkdir(parents=True)
    first, first_bytes = measured(sent, lambda: cold_sitrep_poll(folder / "a.db", urls))
    again, again_bytes = measured(sent, lambda: cold_sitrep_poll(folder / "a.db", urls))
    assert first[1] == 0 and again[1] == 0, "feeds failed"
    return (first[0], first_bytes, first[3]), (again[0], again_bytes, again[3]), first[2]


def newsboat_pair(sent: Any, urls: list[str], folder: Path, threads: int | None) -> Any:
    (first, first_cpu), first_bytes = measured(sent, lambda: newsboat_reload(folder, urls, threads))
    (again, again_cpu), again_bytes = measured(sent, lambda: newsboat_reload(folder, urls, threads))
    return (first, first_bytes, first_cpu), (again, again_bytes, again_cpu)


def run_rounds(
    sent: Any, urls: list[str], work: Path, repeat: int
) -> tuple[dict[str, list[Timing]], list[Floor]]:
    """Each tool in turn, `repeat` times, so a change in machine load hits them alike."""
    runs: dict[str, list[Timing]] = {}
    floors: list[Floor] = []
    has_newsboat = shutil.which("newsboat") is not None
    for n in range(repeat):
        first, again, new = sitrep_pair(sent, urls, work / f"sitrep-{n}")
        runs.setdefault("sitrep first poll", []).append(first)
        runs.setdefault("sitrep no-change poll", []).append(again)
        for threads in (None, 16) if has_newsboat else ():
            label = f"reload-threads {threads or 1}"
            nb_first, nb_again = newsboat_pair(sent, urls, work / f"nb-{threads}-{n}", threads)
            runs.setdefault(f"newsboat first reload [{label}]", []).append(nb_first)
            runs.setdefault(f"newsboat re-reload [{label}]", []).append(nb_again)
        floors.append(sitrep_floor(work / f"floor-{n}.db", urls))
    print(f"  ({new} new articles per first poll; {repeat} alternating runs, median shown)")
    return runs, floors


def median(timings: list[Timing]) -> Timing:
    ordered = sorted(timings)
    return ordered[len(ordered) // 2]


def report(runs: dict[str, list[Timing]]) -> None:
    for name, timings in runs.items():
        seconds, sent, _ = median(timings)
        cpu = sorted(c for _, _, c in timings)[len(timings) // 2]
        spread = ", ".join(f"{t:.2f}" for t, _, _ in timings)
        print(f"{name:<42} {seconds:6.2f}s  {sent:>11,} bytes  cpu {cpu:5.2f}s   (runs: {spread})")
    first, again = median(runs["sitrep first poll"]), median(runs["sitrep no-change poll"])
    print(f"sitrep re-poll moves {first[1] / max(1, again[1]):.1f}x fewer bytes (target >= 10x)")
    for threads in (1, 16):
        other = runs.get(f"newsboat first reload [reload-threads {threads}]")
        if other is None:
            print("newsboat: not installed, skipped (Debian: apt-get install newsboat)")
            return
        print(
            f"sitrep first poll / newsboat first reload (reload-threads {threads}) = "
            f"{first[0] / median(other)[0]:.2f} (target <= 1)"
        )
    cpus = {name: sorted(c for _, _, c in timings) for name, timings in runs.items()}
    mine, theirs = cpus["sitrep first poll"], cpus["newsboat first reload [reload-threads 1]"]
    print(
        f"CPU seconds, sitrep first poll / newsboat first reload (reload-threads 1) = "
        f"{mine[len(mine) // 2] / max(0.01, theirs[len(theirs) // 2]):.2f}"
    )


def report_floor(floors: list[Floor], runs: dict[str, list[Timing]]) -> None:
    """sitrep's work timed part by part, against newsboat's first reload."""
    parts = {name: sorted(f[name] for f in floors)[len(floors) // 2] for name in floors[0]}
    total = parts["download"] + parts["parse"] + parts["store"]
    # What the issue itself asks for: the downloads, feedparser, the store's transactions.
    required = parts["download"] + parts["feedparser"] + parts["store"]
    cores = os.cpu_count() or 1
    print(
        f"sitrep's work part by part (CPU s, median): download {parts['download']:.2f}, "
        f"parse {parts['parse']:.2f} (feedparser {parts['feedparser']:.2f}), "
        f"store {parts['store']:.2f} (a feed per transaction: {parts['store alone']:.2f}); "
        f"sum {total:.2f}"
    )
    newsboat = runs.get("newsboat first reload [reload-threads 1]")
    against = ""
    if newsboat is not None:
        seconds, cpu = median(newsboat)[0], sorted(c for _, _, c in newsboat)[len(newsboat) // 2]
        against = f" (newsboat first reload [reload-threads 1]: {seconds:.2f}s, cpu {cpu:.2f}s)"
    print(
        f"  no split of that over {cores} cores polls faster than sum / cores = "
        f"{total / cores:.2f}s; download + feedparser + store alone: {required / cores:.2f}s"
        + against
    )


def report_extraction(sent: Any, urls: list[str], work: Path, newsboat: Timing | None) -> None:
    if extraction()[0] is not None:
        full, _ = measured(sent, lambda: cold_sitrep_poll(work / "x.db", urls, True))
        print(
            f"sitrep first poll with extraction (as `sitrep fetch`): {full[0]:.2f}s, "
            f"cpu {full[3]:.2f}s (one run)"
        )
        if newsboat is not None:
            print(
                "sitrep first poll with extraction / newsboat first reload "
                f"(reload-threads 1) = {full[0] / newsboat[0]:.2f}, "
                f"CPU {full[3] / max(0.01, newsboat[2]):.2f}"
            )


def main() -> None:
    feeds = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    items = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    repeat = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    if not _adopt_orphans():
        print("  (cannot adopt sitrep's worker processes: their CPU time is not counted)")
    sent = mp.Value("q", 0)
    ready = mp.Event()
    port = 18000 + os.getpid() % 1000
    server = mp.Process(target=serve, args=(port, feeds, items, sent, ready), daemon=True)
    server.start()
    ready.wait(30)
    urls = feed_urls(port, feeds)
    print(
        f"{feeds} feeds x {items} items on {HOSTS} local hosts (port {port}), {os.cpu_count()} CPUs"
    )
    try:
        with tempfile.TemporaryDirectory() as tmp:
            runs, floors = run_rounds(sent, urls, Path(tmp), repeat)
            report(runs)
            report_floor(floors, runs)
            nb = runs.get("newsboat first reload [reload-threads 1]")
            report_extraction(sent, urls, Path(tmp), median(nb) if nb else None)
    finally:
        server.terminate()


if __name__ == "__main__":
    main()
