"""Extraction throughput, and places against off-the-shelf peers (run by hand, not by pytest).

    .venv/bin/python tests/bench/bench_extract.py [--synthetic N] [--repeat R]

(a) the synthetic corpus (tests/bench/synth.py; sample_data/ repeated if absent) and (b) the
FA-KES articles (../shared/data/fakes/FA-KES-Dataset.csv, skipped if absent): ms/article and
articles/s for `Extractor.extract` alone (one core, articles built beforehand, matchers built
once and timed separately). Times are process CPU time (time.process_time), best of --repeat
passes, so other work on a shared machine does not inflate them; the peers are timed the same way.
A breakdown line separates the place/actor matchers from the sentence-level extractors;
--parts adds one pass per corpus that splits extraction into its stages (self time of each, by
process CPU time around every call: the wrappers add a little, shown as the pass's total).

Places side by side on the FA-KES articles: our PlaceMatcher, geotext (the `bench` extra) and a
plain regex alternation over the same gazetteer aliases, each timed on the same texts; recall
is how often the article's governorate (FA-KES `location`), or a place in it, is found.
FA-KES has no Rif Dimashq label: its "damascus" articles are about the capital and its
countryside (Ghouta, Douma, Qalamoun, Madaya), so for them a place in Rif Dimashq counts too
(`--strict-regions` scores without that allowance).
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import core.extract.pipeline as pipeline  # noqa: E402
from core.extract.matching import get_matchers  # noqa: E402
from core.extract.pipeline import Extractor, article_text  # noqa: E402
from core.models import Article  # noqa: E402
from core.profile import load_profile  # noqa: E402
from core.text import fold  # noqa: E402

FAKES = ROOT.parent / "shared" / "data" / "fakes" / "FA-KES-Dataset.csv"


def synthetic(count: int) -> list[Article]:
    try:
        import synth  # type: ignore[import-not-found]
    except ImportError:
        return sample_repeated(count)
    fields = set(Article.model_fields)
    return [
        Article.model_validate({k: v for k, v in item.items() if k in fields})
        for item in synth.generate(count)
    ]


def sample_repeated(count: int) -> list[Article]:
    texts = [p.read_text(encoding="utf-8") for p in (ROOT / "sample_data").rglob("*.txt")]
    texts = texts or ["Regime forces captured Saraqeb on Monday, killing five civilians."]
    return [
        Article(url=f"https://sample.example/{i}", body=texts[i % len(texts)]) for i in range(count)
    ]


def fakes() -> list[tuple[Article, str]]:
    if not FAKES.exists():
        return []
    with FAKES.open(encoding="utf-8", errors="replace", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [
        (
            Article(
                url=f"fakes:{row['unit_id']}",
                title=row["article_title"],
                body=row["article_content"],
                source=row["source"],
            ),
            row["location"],
        )
        for row in rows
    ]


def timed(label: str, items: list[Article], run: Callable[[Article], object], repeat: int) -> float:
    """Best of `repeat` passes; prints ms/article and articles/s; returns seconds per article."""
    best = float("inf")
    for _ in range(repeat):
        started = time.process_time()
        for item in items:
            run(item)
        best = min(best, time.process_time() - started)
    per = best / max(1, len(items))
    print(f"  {label:<38} {per * 1000:8.3f} ms/article {1 / per if per else 0:10.0f} articles/s")
    return per


def breakdown(extractor: Extractor, items: list[Article], repeat: int) -> None:
    """How much of it is the place and actor matchers (run over the whole text)."""
    places, actors = get_matchers(load_profile())
    texts = [article_text(item) for item in items]
    best = float("inf")
    for _ in range(repeat):
        started = time.process_time()
        for text in texts:
            places.find(text)
            actors.find(text)
        best = min(best, time.process_time() - started)
    print(f"    of which place+actor matchers     {best / len(texts) * 1000:8.3f} ms/article")


# The pipeline's stages, by the name it calls them under: its module globals.
STAGES = {
    "tokenize": "tokens (whole text)", "split_sentences": "sentences", "find_figures": "figures",
    "find_events": "events", "find_quote": "quotes", "find_dates": "dates",
    "first_date": "dates", "_validated": "validation",
}  # fmt: skip


@contextmanager
def stage_timers(extractor: Extractor) -> Iterator[dict[str, float]]:
    """While active, every stage call adds its self time (CPU; nested stages excluded) to the
    dict under its label; the place and actor matchers are stages too."""
    spent: dict[str, float] = {}
    stack: list[float] = []
    clock = time.process_time

    def timed_call(label: str, call: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            started = clock()
            stack.append(0.0)
            try:
                return call(*args, **kwargs)
            finally:
                elapsed = clock() - started
                inner = stack.pop()
                spent[label] = spent.get(label, 0.0) + elapsed - inner
                if stack:
                    stack[-1] += elapsed

        return wrapper

    saved = {name: getattr(pipeline, name) for name in STAGES}
    matchers = extractor._places, extractor._actors

    class Timed:
        def __init__(self, matcher: Any, label: str) -> None:
            self.find_hits = timed_call(label, matcher.find_hits)

    try:
        for name, label in STAGES.items():
            setattr(pipeline, name, timed_call(label, saved[name]))
        extractor._places = Timed(matchers[0], "places")  # type: ignore[assignment]
        extractor._actors = Timed(matchers[1], "actors")  # type: ignore[assignment]
        yield spent
    finally:
        for name, call in saved.items():
            setattr(pipeline, name, call)
        extractor._places, extractor._actors = matchers


def stage_breakdown(extractor: Extractor, items: list[Article], repeat: int) -> None:
    """Self time per stage, from the fastest of `repeat` timed passes."""
    best: tuple[float, dict[str, float]] = (float("inf"), {})
    with stage_timers(extractor) as spent:
        for _ in range(repeat):
            spent.clear()
            started = time.process_time()
            for item in items:
                extractor.extract(item)
            total = time.process_time() - started
            if total < best[0]:
                best = (total, dict(spent))
    total, parts = best
    count = max(1, len(items))
    rest = total - sum(parts.values())
    shown = ", ".join(
        f"{label} {seconds / count * 1000:.3f}"
        for label, seconds in sorted(parts.items(), key=lambda item: -item[1])
    )
    print(f"    stages, ms/article (timed pass {total / count * 1000:.3f}): {shown}, "
          f"rest {rest / count * 1000:.3f}")  # fmt: skip


def regions_of(names: Iterable[str], lookup: Callable[[str], object]) -> set[str]:
    """Governorates (admin1, folded) of the canonical place names found."""
    regions = set()
    for name in names:
        spec = lookup(name)
        admin1 = getattr(spec, "admin1", None)
        if admin1:
            regions.add(fold(admin1))
    return regions


# FA-KES labels -> the governorates (folded admin1 names) each label covers.
FAKES_ALSO = {"damascus": {"rif dimashq"}}


def wanted_regions(regions: set[str], strict: bool) -> set[str]:
    if strict:
        return regions
    return regions.union(*(FAKES_ALSO.get(r, set()) for r in regions))


def regex_peer(places: Iterable[object]) -> tuple[re.Pattern[str], dict[str, str]]:
    """One case-insensitive alternation over every alias of every gazetteer place."""
    canonical: dict[str, str] = {}
    for spec in places:
        for alias in [spec.name, *spec.aliases]:  # type: ignore[attr-defined]
            canonical.setdefault(alias.casefold(), spec.name)  # type: ignore[attr-defined]
    aliases = sorted(canonical, key=len, reverse=True)
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, aliases)) + r")(?!\w)", re.I)
    return pattern, canonical


def bench_places(corpus: list[tuple[Article, str]], repeat: int, strict: bool = False) -> None:
    place_matcher, _ = get_matchers(load_profile())
    lookup = place_matcher.lookup
    texts = [article_text(article) for article, _ in corpus]
    wanted = [
        wanted_regions(
            regions_of([m.place for m in place_matcher.find(loc.title())], lookup), strict
        )
        for _, loc in corpus
    ]
    pattern, canonical = regex_peer(place_matcher.places())
    try:
        from geotext import GeoText  # type: ignore[import-untyped]
    except ImportError:
        GeoText = None

    def ours(text: str) -> set[str]:
        return regions_of((m.place for m in place_matcher.find(text)), lookup)

    def regex(text: str) -> set[str]:
        return regions_of(
            (canonical[m.group(0).casefold()] for m in pattern.finditer(text)), lookup
        )

    def geotext(text: str) -> set[str]:
        cities = GeoText(text).cities
        found = [m.place for city in cities for m in place_matcher.find(city)]
        return regions_of(found, lookup)

    peers: list[tuple[str, Callable[[str], set[str]], Callable[[str], object]]] = [
        ("sitrep PlaceMatcher", ours, place_matcher.find),
        ("regex alternation (same aliases)", regex, lambda t: pattern.findall(t)),
    ]
    if GeoText is not None:
        peers.append(("geotext", geotext, lambda t: GeoText(t).cities))
    print(f"\nplaces on FA-KES ({len(texts)} articles, {len(canonical)} aliases in the regex):")
    baseline = None
    for label, regions, raw in peers:
        best = float("inf")
        for _ in range(repeat):
            started = time.process_time()
            for text in texts:
                raw(text)
            best = min(best, time.process_time() - started)
        hits = sum(1 for text, want in zip(texts, wanted, strict=True) if want & regions(text))
        per = best / len(texts)
        baseline = baseline or per
        print(
            f"  {label:<34} {per * 1000:7.3f} ms/article {1 / per:9.0f} articles/s "
            f"x{per / baseline:6.2f} time vs sitrep   "
            f"recall {hits / len(texts):.3f} ({hits}/{len(texts)})"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--synthetic", type=int, default=2_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--strict-regions", action="store_true", help="no Rif Dimashq allowance")
    parser.add_argument("--parts", action="store_true", help="self time of each extraction stage")
    args = parser.parse_args()

    started = time.process_time()
    extractor = Extractor()
    print(f"matchers built in {(time.process_time() - started) * 1000:.0f} ms")
    corpus = synthetic(args.synthetic)
    words = sum(len(article_text(a).split()) for a in corpus) / max(1, len(corpus))
    print(f"\nextraction alone (one core, best of {args.repeat}):")
    timed(f"synthetic ({len(corpus)}, ~{words:.0f} words)", corpus, extractor.extract, args.repeat)
    breakdown(extractor, corpus, args.repeat)
    if args.parts:
        stage_breakdown(extractor, corpus, args.repeat)
    real = fakes()
    if not real:
        print("  FA-KES: skipped (../shared/data/fakes/FA-KES-Dataset.csv absent)")
        return
    articles = [article for article, _ in real]
    words = sum(len(article_text(a).split()) for a in articles) / len(articles)
    timed(f"FA-KES ({len(articles)}, ~{words:.0f} words)", articles, extractor.extract, args.repeat)
    breakdown(extractor, articles, args.repeat)
    if args.parts:
        stage_breakdown(extractor, articles, args.repeat)
    bench_places(real, args.repeat, args.strict_regions)


if __name__ == "__main__":
    main()
