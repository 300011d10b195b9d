"""Dashboard benchmark: first full paint, peak memory and idle output, beside a bare Textual app.

For each size (default 1k and 100k articles; add 1000000 by hand) a synthetic database is built
once and cached in tests/bench/out/ (articles with place and actor mentions, figures and control
events, inserted directly with sqlite-utils). Then, alternately, in fresh subprocesses running in
a real pseudo-terminal (120x40, xterm-256color):

* dashboard: `tui.app.SitrepApp` on that database, until the four panes are filled and painted;
* bare:      a Textual app with a Label and a 20-row DataTable, until it is painted;
* cli:       with `--cli`, the whole `sitrep dashboard --db DB` path as a user starts it
             (typer, the command, its profile and the real clock), reported beside the rest
             but not part of the target.

Each child reports seconds from its start to the first full paint, the CPU seconds its process
used until then (all threads; steadier than wall time on a shared machine) and its peak RSS.
Dashboard and bare runs alternate; the best of `--repeat` runs is reported with the ratio
(target: paint <= 1.5x bare, memory <= bare + 60 MB at 1M). Finally the dashboard sits idle
in the pty for `--idle` seconds (default 60) on the largest database and every byte it writes
after its first paint is counted (target < 1 KiB).

    .venv/bin/python tests/bench/bench_dashboard.py                 # 1k and 100k, 60 s idle
    .venv/bin/python tests/bench/bench_dashboard.py 1000 100000 1000000 --repeat 3
    .venv/bin/python tests/bench/bench_dashboard.py 1000 --cli --idle 0

The project's own modules are byte-compiled first (compileall on core/ and tui/), as an
installed sitrep's are: this tree is an editable install, and with PYTHONDONTWRITEBYTECODE set
every dashboard child would otherwise compile ~30 modules from source (~40 ms) that the bare
app, all of it in compiled site-packages, never pays. Likewise the dashboard reads Textual's
parsed CSS back from the user cache folder (tui.csscache) as every start after a user's first
does: the first dashboard child of a run writes it if it is missing, so with --repeat 1 on a
fresh machine the one run also parses the CSS (~10-15 ms more).
"""

from __future__ import annotations

import argparse
import compileall
import fcntl
import json
import os
import pty
import random
import select
import struct
import subprocess
import sys
import tempfile
import termios
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

START = time.perf_counter()
ROOT = Path(__file__).resolve().parents[2]
OUT = Path(__file__).parent / "out"
NOW = datetime(2020, 3, 16, 12, 0, tzinfo=UTC)
SPAN_DAYS = 1000
COLUMNS, LINES = 120, 40
TRACKED = [
    "Al-Nayrab",
    "Saraqeb",
    "Jisr al-Shighour",
    "Maarat al-Numan",
    "Ariha",
    "Kafr Nabl",
    "Atarib",
    "Khan Shaykhun",
    "Idlib",
    "Idlib Governorate",
    "Taftanaz",
    "Sarmin",
    "Binnish",
    "Maarat Misrin",
    "Jabal al-Zawiya",
    "Balyun",
    "M4 highway",
    "M5 highway",
    "Bab al-Hawa",
    "Bab al-Salam",
    "Aleppo",
    "Hama",
    "Latakia",
    "Damascus",
]
OTHER_PLACES = [f"Village {i}" for i in range(400)]
ACTORS = [
    ("Syrian government", "government"),
    ("Russia", "russia"),
    ("Turkey", "turkey"),
    ("Iran", "iran"),
    ("Syrian National Army", "opposition"),
    ("Hayat Tahrir al-Sham", "jihadist"),
    ("Syrian opposition", "opposition"),
    ("United Nations", "international"),
    ("OCHA", "humanitarian"),
    ("White Helmets", "humanitarian"),
    ("Syrian Observatory for Human Rights", "monitor"),
    ("SANA", "media"),
]
CATEGORIES = ["killed", "injured", "displaced", "refugees", "aid", "in_need"]
SOURCES = [f"Outlet {i}" for i in range(40)]
WORDS = [
    "shelling",
    "strikes",
    "town",
    "road",
    "convoy",
    "families",
    "fled",
    "camps",
    "border",
    "talks",
    "ceasefire",
    "civilians",
    "hospital",
    "school",
    "market",
    "bombardment",
    "offensive",
    "troops",
    "positions",
]


# ---- the synthetic database ----


def build_db(count: int, path: Path) -> None:
    """`count` articles over SPAN_DAYS days ending at NOW, with their extraction rows."""
    sys.path.insert(0, str(ROOT))
    from core.store import open_db

    db = open_db(path)
    rng = random.Random(count)
    for start in range(0, count, 20_000):
        with db.conn:  # one transaction per chunk keeps the WAL small
            _insert_chunk(db, rng, start, min(count, start + 20_000))
        print(f"  built {min(count, start + 20_000):,}/{count:,}", file=sys.stderr)
    db.conn.close()


def _insert_chunk(db, rng: random.Random, first: int, stop: int) -> None:
    from core.store import count_mention_days

    articles, places, actors, figures, events = [], [], [], [], []
    for index in range(first, stop):
        url = f"https://synth.example/{index}"
        when = NOW - timedelta(minutes=rng.randint(0, SPAN_DAYS * 24 * 60))
        stamp = when.isoformat()
        title = " ".join(rng.choice(WORDS) for _ in range(8)).capitalize()
        body = " ".join(rng.choice(WORDS) for _ in range(60))
        articles.append(
            (
                url,
                title,
                body,
                stamp,
                rng.choice(SOURCES),
                stamp,
                f"h{index}",
                None,
                0,
                0,
                0,
                0,
                0,
                "{}",
            )
        )
        chosen = rng.sample(TRACKED, rng.randint(1, 2)) + rng.sample(OTHER_PLACES, 1)
        # the store writes each mention with its article's time (None for a copy: none here)
        places += [(url, p, 1, 0, stamp) for p in chosen]
        actors += [(url, a, s, 1, 0, stamp) for a, s in rng.sample(ACTORS, rng.randint(1, 3))]
        day = when.date().isoformat()
        if rng.random() < 0.3:
            figures.append(
                (
                    url,
                    rng.choice(CATEGORIES),
                    rng.randint(1, 5000),
                    None,
                    None,
                    "exact",
                    None,
                    chosen[0],
                    None,
                    day,
                    "Synthetic figure.",
                    0,
                )
            )
        if rng.random() < 0.02:
            actor, side = rng.choice(ACTORS[:7])
            events.append((url, chosen[0], actor, side, "took", day, "Synthetic event.", 0))
    db.conn.executemany(
        "insert into articles (url, title, body, published, source, fetched, content_hash, "
        "dup_of, simhash, band0, band1, band2, band3, extra) "
        "values (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        articles,
    )
    db.conn.executemany(
        "insert into place_mentions (url, place, n, first, published) values (?,?,?,?,?)", places
    )
    db.conn.executemany(
        "insert into actor_mentions (url, actor, side, n, first, published) values (?,?,?,?,?,?)",
        actors,
    )
    count_mention_days(db.conn, "place_days", "place", places)  # as the store's writes do
    count_mention_days(db.conn, "actor_days", "actor", actors)
    db.conn.executemany(
        "insert into figures (url, category, value, low, high, qualifier, grp, place, actor, "
        "date, sentence, seq) values (?,?,?,?,?,?,?,?,?,?,?,?)",
        figures,
    )
    db.conn.executemany(
        "insert into events (url, place, actor, side, verb, date, sentence, seq) "
        "values (?,?,?,?,?,?,?,?)",
        events,
    )


def cached_db(count: int) -> Path:
    OUT.mkdir(exist_ok=True)
    path = OUT / f"dashboard-{count}.db"
    if not path.exists():
        print(f"building {path.name} (cached for later runs)", file=sys.stderr)
        partial = path.with_suffix(".building")
        partial.unlink(missing_ok=True)
        build_db(count, partial)
        partial.rename(path)
    return path


# ---- the two children (run inside the pty) ----


def _report(result_file: str, painted: float) -> None:
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    report = {"paint": painted, "cpu": usage.ru_utime + usage.ru_stime}
    Path(result_file).write_text(json.dumps({**report, "rss_mb": usage.ru_maxrss / 1024}))


def child_dashboard(db_path: str, result_file: str) -> None:
    sys.path.insert(0, str(ROOT))
    from core.profile import PlaceSpec, Profile
    from tui.app import SitrepApp
    from tui.messages import PanesLoaded

    profile = Profile(name="bench", places=[PlaceSpec(name=p, tracked=True) for p in TRACKED])

    class Measured(SitrepApp):
        def on_panes_loaded(self, message: PanesLoaded) -> None:
            if not message.live:
                self.call_after_refresh(self.painted)

        def painted(self) -> None:
            _report(result_file, time.perf_counter() - START)

    Measured(Path(db_path), profile=profile, clock=lambda: NOW).run()


def child_cli(db_path: str, result_file: str) -> None:
    """`sitrep dashboard --db DB`, timed to the first full paint like the dashboard child."""
    sys.path.insert(0, str(ROOT))
    from tui.app import SitrepApp
    from tui.messages import PanesLoaded

    def on_panes_loaded(app: SitrepApp, message: PanesLoaded) -> None:
        if not message.live:
            app.call_after_refresh(lambda: _report(result_file, time.perf_counter() - START))

    SitrepApp.on_panes_loaded = on_panes_loaded  # type: ignore[attr-defined]
    sys.argv = ["sitrep", "dashboard", "--db", db_path]
    from tui.cli import main as sitrep

    sitrep()


def child_bare(result_file: str) -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable, Label

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Label("bare")
            yield DataTable()

        def on_mount(self) -> None:
            table = self.query_one(DataTable)
            table.add_columns("a", "b", "c")
            table.add_rows([(str(i), "text " * 4, str(i * i)) for i in range(20)])
            self.call_after_refresh(self.painted)

        def painted(self) -> None:
            _report(result_file, time.perf_counter() - START)

    Bare().run()


# ---- the parent ----


QUIET = 0.5  # seconds without output that end a paint


def run_in_pty(args: list[str], result: Path, idle: float = 0.0) -> tuple[dict, int]:
    """Run this script as a child in a pty (120x40).

    The paint ends with the last byte written before QUIET seconds of silence once the child
    has reported its first full paint; its time counts from the spawn (interpreter start
    included, as a user waits for it). Then, for `idle` seconds, every byte is counted.
    """
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
    env = {
        **os.environ,
        "TERM": "xterm-256color",
        "COLUMNS": str(COLUMNS),
        "LINES": str(LINES),
        "PYTHONPATH": str(ROOT),
    }
    env.pop("NO_COLOR", None)
    spawned = time.monotonic()
    child = subprocess.Popen(
        [sys.executable, __file__, *args],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        close_fds=True,
    )
    os.close(slave)
    output, last_byte, painted, idle_bytes = bytearray(), spawned, None, 0
    try:
        while child.poll() is None:
            now = time.monotonic()
            if painted is None and result.exists() and now - last_byte >= QUIET:
                painted = last_byte - spawned
                idle_from = now
                if not idle:
                    break
            if painted is not None and now - idle_from >= idle:
                break
            ready, _, _ = select.select([master], [], [], 0.02)
            if not ready:
                continue
            data = os.read(master, 65536)
            if painted is None:
                last_byte = time.monotonic()
                output += data
            else:
                idle_bytes += len(data)
    finally:
        if child.poll() is None:
            child.terminate()
        child.wait(timeout=30)
        os.close(master)
    if painted is None:
        raise SystemExit(f"child {args} failed:\n{output[-3000:].decode(errors='replace')}")
    return {**json.loads(result.read_text()), "paint": painted}, idle_bytes


def measure(kinds: list[str], db: Path | None, repeat: int) -> dict[str, dict]:
    """Best paint, least CPU and least RSS of `repeat` runs of each kind, run alternately
    (so a burst of load on the shared machine hits both sides alike)."""
    best: dict[str, dict] = {}
    for _ in range(repeat):
        for kind in kinds:
            with tempfile.TemporaryDirectory() as tmp:
                result = Path(tmp) / "result.json"
                args = ["--child", kind, str(result)] + ([] if kind == "bare" else [str(db)])
                report, _ = run_in_pty(args, result)
            best[kind] = _better(best.get(kind), report)
    return best


def _better(best: dict | None, report: dict) -> dict:
    if best is None:
        return report
    fastest = report if report["paint"] < best["paint"] else best
    return {
        **fastest,
        "cpu": min(report["cpu"], best["cpu"]),
        "rss_mb": min(report["rss_mb"], best["rss_mb"]),
    }


def compile_project() -> None:
    for package in ("core", "tui"):
        compileall.compile_dir(ROOT / package, quiet=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 100_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--idle", type=float, default=60.0)
    parser.add_argument("--cli", action="store_true", help="also time `sitrep dashboard --db`")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, result, *rest = args.child
        if kind == "bare":
            child_bare(result)
        elif kind == "cli":
            child_cli(rest[0], result)
        else:
            child_dashboard(rest[0], result)
        return
    compile_project()
    print(
        f"{'articles':>10} {'paint s':>8} {'bare s':>7} {'ratio':>6} {'cpu s':>6} "
        f"{'bare cpu':>8} {'ratio':>6} {'RSS MB':>7} {'bare MB':>8} {'+MB':>6}"
    )
    for size in args.sizes:
        db = cached_db(size)
        kinds = ["dashboard", "bare"] + (["cli"] if args.cli else [])
        runs = measure(kinds, db, args.repeat)
        app, bare = runs["dashboard"], runs["bare"]
        print(
            f"{size:>10,} {app['paint']:>8.3f} {bare['paint']:>7.3f} "
            f"{app['paint'] / bare['paint']:>6.2f} {app['cpu']:>6.3f} {bare['cpu']:>8.3f} "
            f"{app['cpu'] / bare['cpu']:>6.2f} {app['rss_mb']:>7.1f} "
            f"{bare['rss_mb']:>8.1f} {app['rss_mb'] - bare['rss_mb']:>+6.1f}",
            flush=True,
        )
        if args.cli:
            cli = runs["cli"]
            print(
                f"{'':>10} sitrep dashboard --db: {cli['paint']:.3f} s "
                f"({cli['paint'] / bare['paint']:.2f}x bare), {cli['rss_mb']:.1f} MB",
                flush=True,
            )
    if args.idle:
        db = cached_db(max(args.sizes))
        with tempfile.TemporaryDirectory() as tmp:
            result = Path(tmp) / "result.json"
            _, sent = run_in_pty(["--child", "idle", str(result), str(db)], result, args.idle)
        print(
            f"idle {args.idle:.0f} s after first paint ({max(args.sizes):,} articles): "
            f"{sent} bytes sent to the terminal (target < 1024)"
        )


if __name__ == "__main__":
    main()
