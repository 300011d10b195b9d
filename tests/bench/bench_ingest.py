"""Ingest benchmark: JSON Lines at 1k / 10k / 100k articles against a bare FTS5 insert.

For each size the synthetic corpus (tests/bench/synth.py) is written once, then two fresh
subprocesses each load it into a new SQLite file:

* ingest: `core.pipeline.ingest_paths` (streaming reader, normalisation, content hashes,
  simhash near-duplicate grouping, batches of 500 in one transaction each, written by a
  background thread while the next batch is parsed, by a child process for inputs over
  8 MiB);
* bare:   the floor: json.loads per line and sqlite-utils `insert_all` of the same rows into
  a table with FTS5 (same tokenizer, sync triggers), batches of 500, WAL.

Each prints articles/s (wall clock), CPU time per article (with any child process) and its
peak RSS (getrusage maxrss, per process so sizes do not pollute each other; the ingest's
reading child has its own, below the parent's). The modes are run alternately
`--repeat` times (default 3) and the best run of each is reported, so load from other
processes does not decide the ratio. Run by hand:

    .venv/bin/python tests/bench/bench_ingest.py            # 1k and 10k
    .venv/bin/python tests/bench/bench_ingest.py 1000 10000 100000 --repeat 1
    .venv/bin/python tests/bench/bench_ingest.py 100000 --repeat 1 --no-extraction
    .venv/bin/python tests/bench/bench_ingest.py --fakes 1000   # also real text (FA-KES)
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).parent))


def run_ingest(corpus: Path, db_path: Path, extract: bool = False) -> dict[str, float]:
    """`ingest`: parse + normalise + index; `full` (extract=True): plus extraction, as
    `sitrep ingest` runs it. The extractor is built before the clock starts (once per run)."""
    from core.pipeline import ingest_paths
    from core.store import open_db

    extractor = None
    if extract:
        from core.extract.pipeline import Extractor

        extractor = Extractor().extract
    db = open_db(db_path)
    start, cpu = time.perf_counter(), process_cpu()
    summary = ingest_paths(db, [corpus], extractor=extractor)
    elapsed = time.perf_counter() - start
    assert not summary.failed, summary.failures[:3]
    return {"articles": summary.ingested, "seconds": elapsed, "cpu": process_cpu() - cpu}


def process_cpu() -> float:
    """CPU seconds of this process and of its finished children (a large ingest reads in a
    child process)."""
    own, children = (
        resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def run_bare(corpus: Path, db_path: Path) -> dict[str, float]:
    import sqlite_utils

    db = sqlite_utils.Database(db_path)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    db["articles"].create(  # type: ignore[union-attr]
        {"url": str, "title": str, "body": str, "published": str, "source": str}, pk="url"
    )
    db["articles"].enable_fts(  # type: ignore[union-attr]
        ["title", "body"], create_triggers=True, tokenize="unicode61 remove_diacritics 2"
    )
    start, cpu = time.perf_counter(), time.process_time()
    count = 0
    with corpus.open(encoding="utf-8") as lines:
        batch = []
        for line in lines:
            row = json.loads(line)
            batch.append({k: row.get(k) for k in ("url", "title", "body", "published", "source")})
            if len(batch) == 500:
                with db.conn:
                    db["articles"].insert_all(batch, batch_size=500)  # type: ignore[union-attr]
                count += len(batch)
                batch = []
        if batch:
            with db.conn:
                db["articles"].insert_all(batch)  # type: ignore[union-attr]
            count += len(batch)
    return {
        "articles": count,
        "seconds": time.perf_counter() - start,
        "cpu": time.process_time() - cpu,
    }


def child(mode: str, corpus: Path, db_path: Path) -> None:
    """Run one measurement and print it as JSON (with this process's peak RSS)."""
    # As `sitrep` runs (tui/cli.py): pydantic's plugin look-up would otherwise cost the first
    # article ~10 ms of reading installed packages' metadata.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    if mode == "bare":
        result = run_bare(corpus, db_path)
    else:
        result = run_ingest(corpus, db_path, extract=mode == "full")
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result["child_peak_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps(result))


def measure(mode: str, corpus: Path, folder: Path) -> dict[str, float]:
    db_path = folder / f"{mode}.db"
    output = subprocess.run(
        [sys.executable, __file__, "--child", mode, str(corpus), str(db_path)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return dict(json.loads(output.strip().splitlines()[-1]))


def best(runs: list[dict[str, float]]) -> dict[str, float]:
    """The fastest run (the least disturbed by other load on the machine)."""
    return min(runs, key=lambda run: run["seconds"] / run["articles"])


MODES = ("bare", "ingest", "full")


def compare(corpus: Path, repeat: int, modes: tuple[str, ...]) -> dict[str, list[dict[str, float]]]:
    """Every mode's runs on `corpus`, interleaved so a burst of load hits all alike."""
    runs: dict[str, list[dict[str, float]]] = {mode: [] for mode in modes}
    for _ in range(repeat):
        for mode in modes:
            runs[mode].append(measure(mode, corpus, corpus.parent))
            for leftover in corpus.parent.glob("*.db*"):
                leftover.unlink()
    return runs


def rate(run: dict[str, float]) -> float:
    return run["articles"] / run["seconds"]


def bench(size: int, repeat: int, modes: tuple[str, ...]) -> None:
    from synth import write_jsonl

    with tempfile.TemporaryDirectory() as tmp:
        corpus = write_jsonl(Path(tmp) / f"synth-{size}.jsonl", size)
        megabytes = corpus.stat().st_size / 2**20
        runs = compare(corpus, repeat, modes)
    bare, ingest = best(runs["bare"]), best(runs["ingest"])
    full = f"with extraction {rate(best(runs['full'])):8.0f}/s " if "full" in runs else ""
    full_peak = f"peak {best(runs['full'])['peak_mb']:6.1f} MB | " if "full" in runs else ""
    full_ratio = f" / {rate(best(runs['full'])) / rate(bare):4.2f}x" if "full" in runs else ""
    print(
        f"{size:>7} articles ({megabytes:6.1f} MB): "
        f"ingest {rate(ingest):8.0f}/s peak {ingest['peak_mb']:6.1f} MB{reader_peak(ingest)} | "
        f"{full}{full_peak}"
        f"bare sqlite-utils+FTS5 {rate(bare):8.0f}/s peak {bare['peak_mb']:6.1f} MB | "
        f"ratios {rate(ingest) / rate(bare):4.2f}x{full_ratio} | "
        f"cpu/article ingest {cpu_per_article(runs['ingest']):.0f} us, "
        f"bare {cpu_per_article(runs['bare']):.0f} us",
        flush=True,
    )


def reader_peak(run: dict[str, float]) -> str:
    """The peak RSS of the ingest's reading child process, when it used one."""
    return f" (+ reader {run['child_peak_mb']:.0f} MB)" if run.get("child_peak_mb") else ""


def cpu_per_article(runs: list[dict[str, float]]) -> float:
    """CPU time (every thread and child process) per article of the least disturbed run: the
    ingest reads in a child process and writes in a second thread, so wall time falls below
    CPU time when a second core is free."""
    return min(run["cpu"] / run["articles"] for run in runs) * 1e6


FAKES = ROOT.parent / "shared" / "data" / "fakes" / "FA-KES-Dataset.csv"


def fakes_corpus(path: Path) -> Path:
    """FA-KES (real Syria war news, evaluation only, never committed) as article JSON Lines."""
    import csv

    with FAKES.open(encoding="utf-8", newline="") as rows, path.open("w") as out:
        for index, row in enumerate(csv.DictReader(rows)):  # unit_id repeats: index it too
            article = {
                "url": f"https://fakes.example/{index}-{row['unit_id']}",
                "title": row["article_title"],
                "body": row["article_content"],
                "source": row["source"],
            }
            out.write(json.dumps(article, ensure_ascii=False) + "\n")
    return path


def bench_fakes(repeat: int) -> None:
    """The same comparison on real text, when ../shared/data/fakes is present."""
    if not FAKES.exists():
        print("FA-KES not present: skipped")
        return
    with tempfile.TemporaryDirectory() as tmp:
        runs = compare(fakes_corpus(Path(tmp) / "fakes.jsonl"), repeat, MODES)
    bare, ingest, full = (best(runs[mode]) for mode in MODES)
    print(
        f"FA-KES {int(ingest['articles'])} real articles: ingest {rate(ingest):8.0f}/s | "
        f"with extraction {rate(full):8.0f}/s | bare {rate(bare):8.0f}/s | "
        f"ratios {rate(ingest) / rate(bare):4.2f}x / {rate(full) / rate(bare):4.2f}x"
    )


def main() -> None:
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4]))
        return
    args = sys.argv[1:]
    repeat = 3
    if "--repeat" in args:
        at = args.index("--repeat")
        repeat = int(args[at + 1])
        del args[at : at + 2]
    modes = MODES
    if "--no-extraction" in args:  # large sizes: extraction alone would take many minutes
        args.remove("--no-extraction")
        modes = ("bare", "ingest")
    if "--fakes" in args:
        args.remove("--fakes")
        bench_fakes(repeat)
    for size in [int(arg) for arg in args] or [1_000, 10_000]:
        bench(size, repeat, modes)


if __name__ == "__main__":
    main()
