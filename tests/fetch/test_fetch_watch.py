"""run_watch in-process (as `sitrep dashboard --watch` starts it): rounds, hooks, stopping."""

from __future__ import annotations

import threading
from pathlib import Path

from fetch_helpers import LocalServer, conditional_route, items, rss

from core.fetch.poller import FeedOutcome, RoundReport
from core.fetch.watch import run_watch
from core.models import Feed
from core.query.feeds import list_feeds
from core.store import open_db, upsert_feed


def test_run_watch_in_a_thread_polls_and_stops_on_the_event(server: LocalServer, tmp_path: Path):
    server.routes["/feed"] = conditional_route(rss(items(3)))
    path = tmp_path / "w.db"
    db = open_db(path)
    upsert_feed(db, Feed(url=server.url("/feed")))
    db.close()
    stop = threading.Event()
    rounds: list[RoundReport] = []
    outcomes: list[tuple[int, FeedOutcome]] = []
    echoed: list[str] = []

    def on_round(report: RoundReport) -> None:
        rounds.append(report)
        if len(rounds) == 2:
            stop.set()

    log = tmp_path / "watch.log"
    result: list[int] = []
    worker = threading.Thread(
        target=lambda: result.append(
            run_watch(
                path,
                1,
                stop,
                echo=echoed.append,
                on_round=on_round,
                on_feed=lambda n, o: outcomes.append((n, o)),
                log_path=log,
            )
        )
    )
    worker.start()
    worker.join(20)
    assert not worker.is_alive() and result == [0]
    assert [(n, o.status) for n, o in outcomes] == [(1, "ok"), (2, "not_modified")]
    assert [r.new for r in rounds] == [3, 0]
    assert log.read_text().splitlines() == echoed
    assert "round 1: 1 feed, 1 ok" in echoed[0]
    assert list_feeds(open_db(path))[0].articles == 3


def test_run_watch_returns_at_once_when_already_stopped(tmp_path: Path):
    stop = threading.Event()
    stop.set()
    assert run_watch(tmp_path / "x.db", None, stop, log_path=tmp_path / "l.log") == 0
