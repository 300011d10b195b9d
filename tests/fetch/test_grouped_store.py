"""Several feeds written in one transaction (`write_feeds`, grouped by `WriteGroup`) store
exactly what writing each feed alone, in the same order, stores: same rows (rowids, near-
duplicate links, extraction, counts, feed rows), same per-feed counts; a failing feed never
loses the others' entries."""

from __future__ import annotations

import random
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fetch_helpers import conditional_route, items, rss
from sqlite_utils import Database

import core.fetch.poller as poller_module
import core.fetch.workers as workers_module
from core.dedupe import bands, within_distance
from core.fetch.feedrow import write_feed_row
from core.fetch.poller import Poller
from core.fetch.workers import (
    FeedWrite,
    WriteGroup,
    sort_articles,
    write_feed,
    write_feeds,
    write_in_turn,
)
from core.models import Article, ControlEvent, Extraction, Feed, PlaceMention
from core.query.feeds import get_feeds
from core.store import (
    BatchResult,
    band_keys,
    fingerprint_keys,
    open_db,
    upsert_feed,
    write_batch,
)

START = datetime(2020, 2, 1, tzinfo=UTC)
PLACES = ["Saraqeb", "Ariha", "Idlib", "Atarib"]


class Round:
    """A seeded poll round: stored articles (a crowd of them on one band value, some owned
    by feeds that now change them), then feeds whose entries overlap by url and by
    near-duplicate text, in arrival order."""

    def __init__(self, seed: int, feeds: int = 40) -> None:
        self.rng = random.Random(seed)
        # stories: near-duplicates of one story are within 3 bits of its fingerprint;
        # a third of them have 0 as their lowest band, the crowded one
        self.stories = [self._story_print(n) for n in range(30)]
        self.prints: dict[str, int] = {}
        self.feeds = [Feed(url=f"http://feed{k}.example/rss") for k in range(feeds)]

    def _story_print(self, n: int) -> int:
        value = self.rng.getrandbits(64)
        return value & ~0xFFFF if n % 3 == 0 else value

    def article(self, url: str, feed_url: str | None, story: int, variant: int) -> Article:
        body = f"story {story} variant {variant} " + "words " * 40
        published = None if variant % 4 == 0 else START + timedelta(hours=variant)
        item = Article(
            url=url,
            title=f"S{story}",
            body=body,
            published=published,
            source="wire",
            fetched=START,
            feed_url=feed_url,
            guid=url,
        )
        flips = variant % 6  # 0-3 bits: a near-duplicate of the story; 4-5: not
        bits = random.Random(variant * 1000 + story).sample(range(64), flips)
        self.prints[item.content_hash] = self.stories[story] ^ sum(1 << b for b in bits)
        return item

    def extraction(self, article: Article) -> Extraction:
        place = PLACES[len(article.url) % len(PLACES)]
        return Extraction(
            places=[PlaceMention(place=place, surface=place, start=0, end=5)],
            events=[ControlEvent(place=place, verb="captured", sentence=article.title)],
        )

    def stored_before(self) -> list[tuple[list[Article], list[int]]]:
        """Batches to store before the round: a crowd on band value 0 (file ingests) and
        articles the feeds will change."""
        crowd = []
        for n in range(80):
            item = self.article(f"http://file.example/{n}", None, 0, 1000 + n)
            self.prints[item.content_hash] &= ~0xFFFF  # lowest band 0: 80 stored rows share it
            crowd.append(item)
        owned = [
            self.article(f"http://feed{k}.example/old", feed.url, k % 30, 7)
            for k, feed in enumerate(self.feeds)
            if k % 7 == 3
        ]
        return [(batch, [self.prints[a.content_hash] for a in batch]) for batch in (crowd, owned)]

    def entries(self, feed: Feed, k: int) -> list[Article]:
        found = []
        for n in range(self.rng.randint(2, 9)):
            roll = self.rng.random()
            if roll < 0.2:  # a link several feeds carry (the first stores it)
                url = f"http://shared.example/{self.rng.randint(0, 12)}"
            else:
                url = f"http://feed{k}.example/{n}"
            story, variant = self.rng.randint(0, 29), self.rng.randint(0, 60)
            found.append(self.article(url, feed.url, story, variant))
        if k % 7 == 3:  # changes an article it stored earlier
            found.append(self.article(f"http://feed{k}.example/old", feed.url, k % 30, 8))
        return found


def prepared(tmp_path: Path, seed: int) -> tuple[Round, Path]:
    game = Round(seed)
    path = tmp_path / f"before-{seed}.db"
    db = open_db(path)
    for feed in game.feeds:
        upsert_feed(db, feed)
    for batch, prints in game.stored_before():
        write_batch(db, [(a, game.extraction(a)) for a in batch], prints)
    db.close()
    return game, path


def feed_write(db: Database, game: Round, feed: Feed, articles: list[Article]) -> tuple:
    """What the poller does with a parsed feed: sort out new and changed entries (reading
    the store as it is now), extract them, set the feed's new state."""
    fresh, unchanged, rewrites = sort_articles(db, feed, articles)
    items = [(a, game.extraction(a)) for a in fresh]
    state = feed.model_copy(update={"etag": f'"{feed.url}"', "last_status": 200})
    prints: list[int | None] = [game.prints[a.content_hash] for a in fresh]
    return FeedWrite(items, prints, state, rewrites), unchanged


def one_by_one(db: Database, game: Round, arrivals: list) -> list[tuple[int, int, int]]:
    counts = []
    for feed, articles in arrivals:
        write, unchanged = feed_write(db, game, feed, articles)
        result = write_feed(db, write.items, write.state, write.fingerprints)
        counts.append((result.inserted, result.updated, unchanged + result.unchanged))
    return counts


def grouped(
    db: Database,
    game: Round,
    arrivals: list,
    refusals: list[str] | None = None,
    sizes: list[int] | None = None,
) -> list[tuple[int, int, int]]:
    """As the poller: each feed sorted when it arrives, its group written when the next
    feed may not join it (or at the end, or at 8 feeds)."""
    counts: list[tuple[int, int, int]] = []
    group, waiting = WriteGroup(), []

    def flush() -> None:
        nonlocal group, waiting
        if group.writes:
            if sizes is not None:
                sizes.append(len(group.writes))
            for (unchanged, index), result in zip(
                waiting, write_feeds(db, group.writes), strict=True
            ):
                assert isinstance(result, BatchResult)
                counts[index] = (result.inserted, result.updated, unchanged + result.unchanged)
        group, waiting = WriteGroup(), []

    for index, (feed, articles) in enumerate(arrivals):
        write, unchanged = feed_write(db, game, feed, articles)
        counts.append((-1, -1, -1))
        if not group.admits(db, write):
            if refusals is not None:
                refusals.append(refusal(group, write))
            flush()
        group.add(write)
        waiting.append((unchanged, index))
        if write.rewrites or len(group.writes) == 8:
            flush()
    flush()
    return counts


def queued(db: Database, game: Round, arrivals: list, batch: int) -> list[tuple[int, int, int]]:
    """As a forked round's writer: each feed sorted when it arrives (the feeds queued before
    it perhaps not written yet), the queue written in turn (`write_in_turn`) every `batch`
    feeds, or at once after a feed that rewrites a stored article."""
    counts: list[tuple[int, int, int]] = []
    writes: list[FeedWrite] = []
    waiting: list[tuple[int, int]] = []
    for index, (feed, articles) in enumerate(arrivals):
        write, unchanged = feed_write(db, game, feed, articles)
        counts.append((-1, -1, -1))
        writes.append(write)
        waiting.append((unchanged, index))
        if write.rewrites or len(writes) == batch or index == len(arrivals) - 1:
            for (unchanged, at), result in zip(waiting, write_in_turn(db, writes), strict=True):
                assert isinstance(result, BatchResult)
                counts[at] = (result.inserted, result.updated, unchanged + result.unchanged)
            writes, waiting = [], []
    return counts


def refusal(group: WriteGroup, write: FeedWrite) -> str:
    if write.rewrites or group.writes[-1].rewrites:
        return "rewrites"
    for key, prints in write.by_band.items():
        others = group.by_band.get(key, [])
        if any(within_distance(a, b) for a in prints for b in others):
            return "near-duplicate"
    return "crowded band"


def snapshot(db: Database) -> dict[str, list]:
    """Every table's rows (with rowids where the table has them); the full-text index by
    what it finds, not by how its segments happen to be laid out."""
    tables = [
        name
        for (name,) in db.execute("select name from sqlite_master where type = 'table'")
        if not name.startswith("articles_fts") and name != "_sqlite_migrations"
    ]
    found = {}
    for name in tables:
        try:
            rows = db.execute(f"select rowid, * from [{name}] order by rowid").fetchall()
        except Exception:
            rows = sorted(db.execute(f"select * from [{name}]").fetchall(), key=repr)
        found[name] = rows
    for word in ("story", "variant", "S3", "S17", "words"):
        found[f"fts {word}"] = db.execute(
            "select rowid from articles_fts where articles_fts match ? order by rowid", [word]
        ).fetchall()
    found["fts integrity"] = db.execute(
        "insert into articles_fts(articles_fts) values ('integrity-check')"
    ).fetchall()
    return found


@pytest.mark.parametrize("seed", range(6))
def test_groups_store_what_one_feed_at_a_time_stores(tmp_path: Path, seed: int) -> None:
    game, before = prepared(tmp_path, seed)
    arrivals = [(feed, game.entries(feed, k)) for k, feed in enumerate(game.feeds)]
    game.rng.shuffle(arrivals)  # the order feeds happen to finish parsing in
    alone_path, group_path = tmp_path / "alone.db", tmp_path / "grouped.db"
    shutil.copy(before, alone_path)
    shutil.copy(before, group_path)
    alone_db, group_db = open_db(alone_path), open_db(group_path)
    refusals: list[str] = []
    sizes: list[int] = []
    assert grouped(group_db, game, arrivals, refusals, sizes) == one_by_one(
        alone_db, game, arrivals
    )
    assert snapshot(group_db) == snapshot(alone_db)
    # the round exercised what it is meant to: groups, and each reason to close one
    assert max(sizes) > 1
    assert {"rewrites", "near-duplicate"} <= set(refusals)
    assert (
        alone_db.execute("select count(*) from articles where dup_of is not null").fetchone()[0] > 0
    )
    alone_db.close()
    group_db.close()


@pytest.mark.parametrize(("seed", "batch"), [(0, 5), (1, 12), (2, 32), (3, 1)])
def test_queued_writes_store_what_one_feed_at_a_time_stores(
    tmp_path: Path, seed: int, batch: int
) -> None:
    """A forked round's writer thread decides the groups when it writes (`write_in_turn`),
    reading the store as the writes before left it: the same rows, counts and index."""
    game, before = prepared(tmp_path, seed)
    arrivals = [(feed, game.entries(feed, k)) for k, feed in enumerate(game.feeds)]
    game.rng.shuffle(arrivals)
    alone_path, queue_path = tmp_path / "alone.db", tmp_path / "queued.db"
    shutil.copy(before, alone_path)
    shutil.copy(before, queue_path)
    alone_db, queue_db = open_db(alone_path), open_db(queue_path)
    assert queued(queue_db, game, arrivals, batch) == one_by_one(alone_db, game, arrivals)
    assert snapshot(queue_db) == snapshot(alone_db)
    alone_db.close()
    queue_db.close()


def test_a_crowded_band_value_closes_the_group(tmp_path: Path) -> None:
    """80 stored articles share a band value: a second feed's article with that value (not
    close to the first's) could push a stored candidate out of its look-up if the first's
    were stored before it, so it is not written in the first one's statement."""
    game, before = prepared(tmp_path, 0)
    db = open_db(before)
    one, two, three = game.feeds[:3]
    # stories 3 and 6 have 0 as their lowest band, as the crowd has; story 1 does not
    write_one, _ = feed_write(
        db, game, one, [game.article("http://feed0.example/x", one.url, 3, 6)]
    )
    write_two, _ = feed_write(
        db, game, two, [game.article("http://feed1.example/y", two.url, 6, 6)]
    )
    write_three, _ = feed_write(
        db, game, three, [game.article("http://feed2.example/z", three.url, 1, 6)]
    )
    assert not within_distance(write_one.fingerprints[0] or 0, write_two.fingerprints[0] or 0)
    group = WriteGroup()
    group.add(write_one)
    assert not group.admits(db, write_two)
    assert group.admits(db, write_three)
    db.close()


def test_two_feeds_carrying_one_link_store_it_once_for_the_first(tmp_path: Path) -> None:
    db = open_db(tmp_path / "t.db")
    game = Round(1)
    one, two = game.feeds[0], game.feeds[1]
    for feed in (one, two):
        upsert_feed(db, feed)
    shared_one = game.article("http://shared.example/s", one.url, 4, 9)
    shared_two = game.article("http://shared.example/s", two.url, 11, 9)
    write_one, _ = feed_write(db, game, one, [shared_one])
    write_two, _ = feed_write(db, game, two, [shared_two])  # sorted before the first is stored
    group = WriteGroup()
    group.add(write_one)
    assert group.admits(db, write_two)
    group.add(write_two)
    results = write_feeds(db, group.writes)
    assert [(r.inserted, r.unchanged) for r in results if isinstance(r, BatchResult)] == [
        (1, 0),
        (0, 1),
    ]
    assert db.execute("select url, feed_url, title from articles").fetchall() == [
        ("http://shared.example/s", one.url, "S4")
    ]
    assert db.execute("select count(*) from place_mentions").fetchone()[0] == 1
    db.close()


def test_a_feed_whose_write_fails_loses_nothing_of_the_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = open_db(tmp_path / "t.db")
    game = Round(2)
    feeds = game.feeds[:3]
    for feed in feeds:
        upsert_feed(db, feed)
    writes = [
        feed_write(db, game, feed, [game.article(f"http://feed{k}.example/a", feed.url, k, 5)])[0]
        for k, feed in enumerate(feeds)
    ]
    broken = feeds[1].url
    db.execute(  # the middle feed's new state cannot be written, alone or in the group
        "create trigger refused before update on feeds when new.url = ? "
        "begin select raise(abort, 'disk pulled mid-write'); end".replace("?", f"'{broken}'")
    )
    results = write_feeds(db, writes)
    assert [type(r).__name__ for r in results] == ["BatchResult", "IntegrityError", "BatchResult"]
    assert "disk pulled mid-write" in str(results[1])
    assert db.execute("select feed_url from articles order by rowid").fetchall() == [
        (feeds[0].url,),
        (feeds[2].url,),
    ]
    etags = dict(db.execute("select url, etag from feeds").fetchall())
    assert etags == {
        feeds[0].url: f'"{feeds[0].url}"',
        broken: None,
        feeds[2].url: f'"{feeds[2].url}"',
    }
    db.close()


def test_one_transaction_for_the_group(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The feeds of a group land together: their entries and their new states."""
    db = open_db(tmp_path / "t.db")
    game = Round(3)
    feeds = game.feeds[:4]
    for feed in feeds:
        upsert_feed(db, feed)
    writes = [
        feed_write(db, game, feed, [game.article(f"http://feed{k}.example/a", feed.url, k, 5)])[0]
        for k, feed in enumerate(feeds)
    ]
    begun = []
    real = workers_module.write_transaction

    def counted(database: Database):
        begun.append(1)
        return real(database)

    monkeypatch.setattr(workers_module, "write_transaction", counted)
    results = write_feeds(db, writes)
    assert len(begun) == 1
    assert [r.inserted for r in results if isinstance(r, BatchResult)] == [1, 1, 1, 1]
    assert db.execute("select count(*) from feeds where etag is not null").fetchone()[0] == 4
    db.close()


def crafted(game: Round, url: str, feed_url: str | None, fingerprint: int, **fields) -> Article:
    item = game.article(url, feed_url, 0, 6).model_copy(
        update={"body": f"{url} " + "words " * 40, "content_hash": "", **fields}
    )
    item = Article.model_validate(item.model_dump())  # its own content hash
    game.prints[item.content_hash] = fingerprint
    return item


def flipped(fingerprint: int, *bits: int) -> int:
    return fingerprint ^ sum(1 << bit for bit in bits)


LOW_BAND_ZERO = 0x0123_4567_89AB_0000  # band 0 (the lowest 16 bits) is 0


def near_duplicate_across_feeds(game: Round) -> tuple[list, list]:
    """Feed 1's article is close to feed 0's undated one and to a stored dated one (those
    two are not close): one at a time, the undated one (sorted first) is its original; in
    one statement the stored one would be found first."""
    one, two = game.feeds[:2]
    base = 0x5555_AAAA_3333_CCCC
    stored = [crafted(game, "http://file.example/x", None, flipped(base, 1, 2))]
    first = crafted(game, "http://feed0.example/a", one.url, flipped(base, 40, 41), published=None)
    second = crafted(game, "http://feed1.example/b", two.url, base)
    return [stored], [(one, [first]), (two, [second])]


def crowded_band(game: Round) -> tuple[list, list]:
    """64 stored articles share band value 0; feed 1's article is 3 bits from the one that
    sorts last, sharing only that band: one at a time, feed 0's article (sorting first)
    pushes it out of the 64 read; in one statement it would be found."""
    one, two = game.feeds[:2]
    crowd_prints = sorted(
        (game.rng.getrandbits(62) << 16) & ((1 << 63) - 1) & ~0xFFFF for _ in range(64)
    )
    crowd = [
        crafted(game, f"http://file.example/{n}", None, fp) for n, fp in enumerate(crowd_prints)
    ]
    last = crowd_prints[-1]
    first = crafted(game, "http://feed0.example/a", one.url, 1 << 63 | LOW_BAND_ZERO)
    second = crafted(game, "http://feed1.example/b", two.url, flipped(last, 20, 36, 52))
    return [crowd], [(one, [first]), (two, [second])]


def rewrite_then_new(game: Round) -> tuple[list, list]:
    """Feed 0 rewrites its article (far from its old text); feed 1's article is close to
    the old text only: one at a time, the old text is gone when feed 1 is written."""
    one, two = game.feeds[:2]
    old_print = 0x0F0F_0F0F_F0F0_F0F0
    old = crafted(game, "http://feed0.example/a", one.url, old_print, title="old")
    new = crafted(game, "http://feed0.example/a", one.url, ~old_print & (2**64 - 1), title="new")
    second = crafted(game, "http://feed1.example/b", two.url, flipped(old_print, 5))
    return [[old]], [(one, [new]), (two, [second])]


def new_then_rewrite(game: Round) -> tuple[list, list]:
    """Feed 1 rewrites the article stored last (its events are the table's last rows): one
    at a time, feed 0's new events come before that rewrite deletes the old ones."""
    one, two = game.feeds[:2]
    old = crafted(game, "http://feed1.example/a", two.url, 0x1111_2222_3333_4444, title="old")
    new = crafted(game, "http://feed1.example/a", two.url, 0x1111_2222_3333_4444, title="new")
    first = crafted(game, "http://feed0.example/b", one.url, 0x7777_0000_5555_9999)
    return [[old]], [(one, [first]), (two, [new])]


@pytest.mark.parametrize(
    "scenario", [near_duplicate_across_feeds, crowded_band, rewrite_then_new, new_then_rewrite]
)
def test_feeds_that_would_store_otherwise_together_are_written_apart(
    tmp_path: Path, scenario
) -> None:
    game = Round(7)
    stored, arrivals = scenario(game)
    paths = [tmp_path / "alone.db", tmp_path / "grouped.db"]
    databases = [open_db(path) for path in paths]
    for db in databases:
        for feed in game.feeds:
            upsert_feed(db, feed)
        for batch in stored:
            prints = [game.prints[a.content_hash] for a in batch]
            write_batch(db, [(a, game.extraction(a)) for a in batch], prints)
    alone, together = databases
    assert grouped(together, game, arrivals) == one_by_one(alone, game, arrivals)
    assert snapshot(together) == snapshot(alone)
    for db in databases:
        db.close()


async def test_a_forked_round_keeps_every_other_feed_when_one_cannot_be_written(
    server, db, settings, monkeypatch
) -> None:
    """Forked workers parse, this process writes the feeds that are ready together: one
    feed failing to be written is that feed's error only; the others land whole."""
    monkeypatch.setattr(poller_module, "PARSE_POOL_MIN_FEEDS", 3)
    monkeypatch.setattr(poller_module, "_can_fork", lambda: True)
    routes = [conditional_route(rss(items(3, prefix=f"http://e.org/g{n}"))) for n in range(6)]
    urls = []
    for n, route in enumerate(routes):
        server.routes[f"/g{n}"] = route
        urls.append(server.url(f"/g{n}"))
        upsert_feed(db, Feed(url=urls[-1]))
    broken = urls[2]

    def failing(database: Database, feed: Feed) -> None:
        if feed.url == broken:
            raise RuntimeError("disk pulled mid-write")
        write_feed_row(database, feed)

    monkeypatch.setattr(workers_module, "write_feed_row", failing)
    report = await Poller(db, settings=settings).poll(get_feeds(db, urls))
    outcomes = {o.url: o for o in report.outcomes}
    assert outcomes[broken].error == f"{broken}: failed (RuntimeError: disk pulled mid-write)"
    assert [(o.status, o.new) for u, o in outcomes.items() if u != broken] == [("ok", 3)] * 5
    stored = db.execute("select feed_url, count(*) from articles group by feed_url").fetchall()
    assert dict(stored) == {url: 3 for url in urls if url != broken}
    assert [feed.etag is None for feed in get_feeds(db, urls)] == [url == broken for url in urls]


async def test_a_forked_round_stores_entries_that_waited_for_their_page(
    server, db, settings, monkeypatch
) -> None:
    """Entries carrying only a summary get their page first; then they are queued with the
    other feeds' writes and land with their feed's state."""
    from test_fetch_poller import PAGE, atom_summaries

    monkeypatch.setattr(poller_module, "PARSE_POOL_MIN_FEEDS", 3)
    monkeypatch.setattr(poller_module, "_can_fork", lambda: True)
    base = server.url("")
    server.serve("/a", atom_summaries(base, ["/page", "/missing"]))
    server.serve("/page", PAGE, content_type="text/html; charset=utf-8")
    urls = [server.url("/a")]
    for n in range(3):
        server.serve(f"/b{n}", rss(items(2, prefix=f"http://e.org/b{n}")))
        urls.append(server.url(f"/b{n}"))
    for url in urls:
        upsert_feed(db, Feed(url=url))
    report = await Poller(db, settings=settings).poll(get_feeds(db, urls))
    assert [(o.status, o.new) for o in report.outcomes] == [("ok", 2)] * 4
    rows = dict(db.execute("select url, body from articles").fetchall())
    assert "Paragraph 7: trucks carrying food" in rows[base + "/page"]
    assert rows[base + "/missing"] == "Short teaser /missing…"
    assert all(feed.last_ok and feed.last_status == 200 for feed in get_feeds(db, urls))


def test_a_feed_writes_band_keys_are_its_fingerprints_bands() -> None:
    """`FeedWrite.by_band`: each (band, value) of its fingerprints (`dedupe.bands`) with the
    fingerprints that have it, also where a feed's articles share band values or a
    fingerprint (the one-comprehension shortcut must not lose one)."""
    game = Round(4)
    rng = random.Random(4)
    base = rng.getrandbits(64)
    prints = [
        base,
        base,
        flipped(base, 3),
        flipped(base, 20, 40),
        rng.getrandbits(64),
        0,
        2**64 - 1,
    ]
    for chosen in ([prints[4]], prints[4:], prints):
        items = []
        for n, fingerprint in enumerate(chosen):
            article = crafted(game, f"http://feed0.example/{n}", game.feeds[0].url, fingerprint)
            items.append((article, None))
        write = FeedWrite(items, list(chosen), game.feeds[0], rewrites=False)
        expected: dict[int, list[int]] = {}
        for fingerprint in chosen:
            for band, value in enumerate(bands(fingerprint)):
                expected.setdefault(band << 16 | value, []).append(fingerprint)
        assert write.by_band == expected
        assert all(
            fingerprint_keys(fp).band_keys == band_keys(fp)
            and fingerprint_keys(fp).bands == tuple(bands(fp))
            and fingerprint_keys(fp).signed == fp - (fp >> 63 << 64)
            for fp in chosen
        )


def test_an_entry_is_known_by_its_guid_from_its_own_feed_only(tmp_path: Path) -> None:
    """An entry whose link changed is its stored article (by guid, from this feed; a guid
    stored twice: the later row), never another feed's article with that guid."""
    db = open_db(tmp_path / "t.db")
    game = Round(5)
    one, two = game.feeds[:2]
    for feed in (one, two):
        upsert_feed(db, feed)
    stored = [
        game.article("http://feed0.example/first", one.url, 1, 5),
        game.article("http://feed0.example/again", one.url, 2, 5),
        game.article("http://feed1.example/theirs", two.url, 3, 5),
    ]
    stored = [a.model_copy(update={"guid": guid}) for a, guid in zip(stored, "ggh", strict=True)]
    write_batch(db, [(a, None) for a in stored], [game.prints[a.content_hash] for a in stored])
    entries = [
        game.article("http://feed0.example/moved", one.url, 2, 5).model_copy(update={"guid": "g"}),
        game.article("http://feed0.example/new", one.url, 4, 5).model_copy(update={"guid": "h"}),
    ]
    fresh, unchanged, rewrites = sort_articles(db, one, entries)
    assert (unchanged, rewrites) == (1, False)  # 'g' is 'again', with this content
    assert [a.url for a in fresh] == ["http://feed0.example/new"]
    db.close()
