"""A place's controller and history, read back from events stored in a real database."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlite_utils import Database

from core.models import Article, ControlEvent, Extraction
from core.query import control_history, current_control, list_events
from core.store import write_batch


def _report(
    url: str, published: date, *events: tuple[str, str, str, date]
) -> tuple[Article, Extraction]:
    article = Article(
        url=url,
        title=url,
        body=f"A distinct report body for {url} about the fighting.",
        published=datetime(published.year, published.month, published.day, 12, tzinfo=UTC),
        source=url.split("/")[2],
    )
    found = Extraction(
        events=[
            ControlEvent(place=place, actor=actor, side=side, verb="captured", date=day)
            for place, actor, side, day in events
        ]
    )
    return article, found


def test_latest_change_holds_and_since_is_start_of_the_run(db: Database) -> None:
    write_batch(
        db,
        [
            _report(
                "https://a.example/1",
                date(2020, 2, 6),
                ("Saraqeb", "Syrian government", "government", date(2020, 2, 6)),
            ),
            _report(
                "https://b.example/2",
                date(2020, 2, 27),
                ("Saraqeb", "Syrian opposition", "opposition", date(2020, 2, 27)),
            ),
            _report(
                "https://c.example/3",
                date(2020, 3, 2),
                ("Saraqeb", "Syrian government", "government", date(2020, 3, 2)),
            ),
            _report(
                "https://d.example/4",
                date(2020, 3, 4),
                ("Saraqeb", "Syrian government", "government", date(2020, 3, 2)),
            ),
        ],
    )
    held = current_control(db)["Saraqeb"]
    assert (held.side, held.actor, held.since) == (
        "government",
        "Syrian government",
        date(2020, 3, 2),
    )
    assert [e.side for e in control_history(db, "Saraqeb")] == [
        "government",
        "opposition",
        "government",
        "government",
    ]


def test_one_misread_report_does_not_flip_a_town(db: Database) -> None:
    day = date(2020, 3, 2)
    write_batch(
        db,
        [
            _report(
                "https://a.example/1", day, ("Saraqeb", "Syrian government", "government", day)
            ),
            _report(
                "https://b.example/2", day, ("Saraqeb", "Syrian government", "government", day)
            ),
            _report("https://c.example/3", day, ("Saraqeb", "Iran-backed militias", "iran", day)),
        ],
    )
    assert current_control(db)["Saraqeb"].side == "government"


def test_events_list_newest_first_and_filter_by_place(db: Database) -> None:
    write_batch(
        db,
        [
            _report(
                "https://a.example/1",
                date(2020, 2, 5),
                ("Al-Nayrab", "Syrian government", "government", date(2020, 2, 5)),
            ),
            _report(
                "https://b.example/2",
                date(2020, 2, 24),
                ("Al-Nayrab", "Syrian National Army", "opposition", date(2020, 2, 24)),
                ("Kafr Nabl", "Syrian government", "government", date(2020, 2, 25)),
            ),
        ],
    )
    assert [e.place for e in list_events(db)] == ["Kafr Nabl", "Al-Nayrab", "Al-Nayrab"]
    nayrab = list_events(db, place="Al-Nayrab")
    assert [e.date for e in nayrab] == [date(2020, 2, 24), date(2020, 2, 5)]
    assert nayrab[0].source == "b.example" and nayrab[0].url == "https://b.example/2"


def test_the_holder_is_the_actor_most_reports_name_over_its_run(db: Database) -> None:
    """The place header and its timeline period name the same holder (tui uses most_named)."""
    from core.query.events import most_named

    opposition = [
        ("https://a.example/1", "Syrian opposition", date(2020, 2, 24)),
        ("https://b.example/2", "Syrian National Army", date(2020, 2, 24)),
        ("https://c.example/3", "Syrian opposition", date(2020, 2, 25)),
        ("https://d.example/4", "Syrian National Army", date(2020, 2, 26)),
        ("https://e.example/5", "Syrian opposition", date(2020, 2, 26)),
    ]
    write_batch(
        db,
        [
            _report(url, day, ("Al-Nayrab", actor, "opposition", day))
            for url, actor, day in opposition
        ],
    )
    held = current_control(db)["Al-Nayrab"]
    assert (held.actor, held.since) == ("Syrian opposition", date(2020, 2, 24))
    assert most_named(e.actor for e in control_history(db, "Al-Nayrab")) == held.actor
    assert most_named(["Syrian National Army", None, "Syrian opposition"]) == (
        "Syrian National Army"
    )
    assert most_named([None]) is None


def test_an_undated_tally_is_stored_undated_and_stays_out_of_holder_and_timeline(
    db: Database,
) -> None:
    """'Captured scores of towns, including Saraqeb' in a later article: who took it, not
    when. It must not become the place's latest change, nor a period of its timeline."""
    dated = _report(
        "https://a.example/1",
        date(2020, 3, 2),
        ("Saraqeb", "Syrian government", "government", date(2020, 3, 2)),
    )
    article, tally = _report("https://b.example/2", date(2020, 3, 16))
    tally.events.append(
        ControlEvent(place="Saraqeb", actor="Syrian government", side="government", verb="captured")
    )
    write_batch(db, [dated, (article, tally)])
    assert [e.date for e in list_events(db, place="Saraqeb")] == [date(2020, 3, 2), None]
    assert [e.date for e in control_history(db, "Saraqeb")] == [date(2020, 3, 2)]
    assert current_control(db)["Saraqeb"].since == date(2020, 3, 2)


def test_an_actor_summary_reads_the_latest_change_from_the_holder_side() -> None:
    from core.query.actors import _summary_text

    def latest(verb: str) -> str:
        event = ControlEvent(
            place="Saraqeb", actor="Syrian government", side="government", verb=verb,
            date=date(2020, 3, 2),
        )  # fmt: skip
        return _summary_text(3, [], [event], None).split("Latest reported action: ")[1]

    assert latest("fell to") == "Saraqeb fell to it on 2020-03-02."
    assert latest("lost") == "took Saraqeb from its holder on 2020-03-02."
    assert latest("recaptured") == "recaptured Saraqeb on 2020-03-02."


def _month_report(url: str, *events: tuple[str, str, str, date, str]) -> tuple[Article, Extraction]:
    article, _ = _report(url, date(2020, 3, 1))
    found = Extraction(
        events=[
            ControlEvent(
                place=place, actor=actor, side=side, verb="took", date=day, date_precision=prec
            )
            for place, actor, side, day, prec in events
        ]
    )
    return article, found


def test_a_change_dated_by_its_month_is_read_back_as_a_month(db: Database) -> None:
    gov = ("Syrian government", "government")
    write_batch(
        db,
        [
            _month_report(
                "https://a.example/m1", ("Khan Shaykhun", *gov, date(2019, 8, 1), "month")
            ),
            _month_report("https://b.example/m2", ("Kafr Nabl", *gov, date(2020, 2, 1), "month")),
            _month_report("https://c.example/m3", ("Kafr Nabl", *gov, date(2020, 2, 1), "day")),
        ],
    )
    (event,) = list_events(db, place="Khan Shaykhun")
    assert (event.date, event.date_precision) == (date(2019, 8, 1), "month")
    held = current_control(db, ["Khan Shaykhun", "Kafr Nabl"])
    assert (held["Khan Shaykhun"].since, held["Khan Shaykhun"].since_precision) == (
        date(2019, 8, 1),
        "month",
    )
    # one report gives the day: the day it is
    assert held["Kafr Nabl"].since_precision == "day"
    assert {e.date_precision for e in control_history(db, "Kafr Nabl")} == {"day", "month"}
