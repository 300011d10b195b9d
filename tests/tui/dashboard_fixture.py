"""A small hand-made database for the dashboard tests (used until extraction can seed one).

Articles around the Saraqeb fighting of early 2020, written through core.store.write_batch with
hand-made extractions, with fixed `fetched` times so every snapshot is the same.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from core.models import (
    ActorMention,
    Article,
    ControlEvent,
    Extraction,
    Figure,
    PlaceMention,
    Quote,
)
from core.profile import ActorSpec, PlaceSpec, Profile
from core.store import open_db, set_meta, write_batch, write_transaction

NOW = datetime(2020, 3, 16, 12, 0, tzinfo=UTC)
LAST_LOOK = datetime(2020, 3, 14, 0, 0, tzinfo=UTC)

PROFILE = Profile(
    name="test",
    places=[
        PlaceSpec(name="Saraqeb", tracked=True, aliases=["Saraqib"]),
        PlaceSpec(name="Maarat al-Numan", tracked=True, aliases=["Maarrat al-Nu'man"]),
        PlaceSpec(name="Al-Nayrab", tracked=True, aliases=["Nairab"]),
        PlaceSpec(name="Ariha", tracked=True),
        PlaceSpec(name="Idlib Governorate", kind="governorate", tracked=True, aliases=["Idlib"]),
    ],
    actors=[
        ActorSpec(
            name="Syrian government",
            side="government",
            aliases=["regime forces"],
            descriptions=["The government in Damascus and its army."],
        ),
        ActorSpec(name="Syrian opposition", side="opposition", aliases=["rebels"]),
        ActorSpec(name="Turkey", side="turkey", aliases=["Ankara"]),
        ActorSpec(name="OCHA", side="humanitarian"),
    ],
)


def _find(text: str, word: str) -> tuple[int, int]:
    start = text.find(word)
    return (max(start, 0), max(start, 0) + len(word))


def _article(
    index: int,
    day: date,
    source: str,
    title: str,
    body: str,
    *,
    places: list[str],
    actors: list[tuple[str, str]],
    figures: list[Figure] | None = None,
    events: list[ControlEvent] | None = None,
    quotes: list[Quote] | None = None,
    url: str | None = None,
) -> tuple[Article, Extraction]:
    published = datetime(day.year, day.month, day.day, 9, 0, tzinfo=UTC) + timedelta(minutes=index)
    article = Article(
        url=url or f"https://news.example/{index}",
        title=title,
        body=body,
        source=source,
        published=published,
        fetched=published + timedelta(hours=1),
    )
    extraction = Extraction(
        places=[
            PlaceMention(place=p, surface=p, start=_find(body, p)[0], end=_find(body, p)[1])
            for p in places
        ],
        actors=[
            ActorMention(actor=a, side=s, surface=a, start=_find(body, a)[0], end=_find(body, a)[1])
            for a, s in actors
        ],
        figures=[f.model_copy(update={"url": article.url}) for f in figures or []],
        # dated as the store used to date an event the extraction left undated (9bb1777)
        events=[
            e.model_copy(update={"url": article.url, "date": e.date or day}) for e in events or []
        ],
        quotes=quotes or [],
    )
    return article, extraction


GOV = ("Syrian government", "government")
OPP = ("Syrian opposition", "opposition")
TUR = ("Turkey", "turkey")
OCHA = ("OCHA", "humanitarian")


def _sentence(text: str) -> str:
    return text


def articles() -> list[tuple[Article, Extraction]]:
    """Thirteen articles; one syndicated copy; figures that disagree; Saraqeb changing hands."""
    taken = "Syrian government forces took Saraqeb on Thursday after days of shelling."
    retaken = "Syrian opposition fighters retook Saraqeb with Turkish support."
    again = "Syrian government troops recaptured Saraqeb on Monday."
    displaced = "Nearly 950,000 people have been displaced in Idlib since December, OCHA said."
    displaced_low = "About 900,000 people have fled their homes in Idlib, a monitor said."
    killed = "At least 12 civilians were killed in strikes on Ariha on Sunday."
    maarat = "Syrian government forces entered Maarat al-Numan, a town emptied by bombing."
    syndicated = (
        "The ceasefire agreed in Moscow took effect at midnight across Idlib. "
        "Residents of Ariha and Al-Nayrab reported a quiet night. Turkey said it would "
        "keep its observation posts. " * 3
    )
    return [
        _article(
            1,
            date(2020, 1, 28),
            "Levant Wire",
            "Government forces enter Maarat al-Numan",
            maarat,
            places=["Maarat al-Numan"],
            actors=[GOV],
            events=[
                ControlEvent(
                    place="Maarat al-Numan",
                    actor="Syrian government",
                    side="government",
                    verb="entered",
                    sentence=maarat,
                )
            ],
        ),
        _article(
            2,
            date(2020, 2, 6),
            "Levant Wire",
            "Saraqeb falls to government forces",
            taken,
            places=["Saraqeb"],
            actors=[GOV],
            events=[
                ControlEvent(
                    place="Saraqeb",
                    actor="Syrian government",
                    side="government",
                    verb="took",
                    sentence=taken,
                )
            ],
        ),
        _article(
            3,
            date(2020, 2, 27),
            "Frontline Syria",
            "Rebels retake Saraqeb",
            retaken,
            places=["Saraqeb"],
            actors=[OPP, TUR],
            events=[
                ControlEvent(
                    place="Saraqeb",
                    actor="Syrian opposition",
                    side="opposition",
                    verb="retook",
                    sentence=retaken,
                )
            ],
        ),
        _article(
            4,
            date(2020, 3, 2),
            "Northline",
            "Saraqeb changes hands again",
            again,
            places=["Saraqeb"],
            actors=[GOV],
            events=[
                ControlEvent(
                    place="Saraqeb",
                    actor="Syrian government",
                    side="government",
                    verb="recaptured",
                    sentence=again,
                )
            ],
        ),
        _article(
            5,
            date(2020, 3, 10),
            "Relief Monitor",
            "Displacement nears one million",
            displaced,
            places=["Idlib Governorate"],
            actors=[OCHA],
            figures=[
                Figure(
                    category="displaced",
                    value=950000,
                    low=950000,
                    high=950000,
                    qualifier="approx",
                    place="Idlib Governorate",
                    date=date(2020, 3, 10),
                    sentence=displaced,
                )
            ],
            quotes=[
                Quote(
                    actor="OCHA",
                    speaker="OCHA spokesman",
                    text="The needs are enormous.",
                    date=date(2020, 3, 10),
                )
            ],
        ),
        _article(
            6,
            date(2020, 3, 11),
            "Gulf Dispatch",
            "Monitor counts 900,000 displaced",
            displaced_low,
            places=["Idlib Governorate"],
            actors=[],
            figures=[
                Figure(
                    category="displaced",
                    value=900000,
                    low=900000,
                    high=900000,
                    qualifier="approx",
                    place="Idlib Governorate",
                    date=date(2020, 3, 9),
                    sentence=displaced_low,
                )
            ],
        ),
        _article(
            7,
            date(2020, 3, 15),
            "Casualty Watch",
            "Strikes on Ariha kill civilians",
            killed,
            places=["Ariha"],
            actors=[GOV],
            figures=[
                Figure(
                    category="killed",
                    value=12,
                    low=12,
                    qualifier="at_least",
                    place="Ariha",
                    date=date(2020, 3, 15),
                    sentence=killed,
                )
            ],
        ),
        _article(
            8,
            date(2020, 3, 6),
            "Bosphorus Daily",
            "Ceasefire takes effect in Idlib",
            syndicated,
            places=["Idlib Governorate", "Ariha", "Al-Nayrab"],
            actors=[TUR],
        ),
        _article(
            9,
            date(2020, 3, 6),
            "Meridian",
            "Ceasefire takes effect in Idlib",
            syndicated,
            places=["Idlib Governorate", "Ariha", "Al-Nayrab"],
            actors=[TUR],
        ),
        _article(
            10,
            date(2020, 3, 16),
            "Levant Wire",
            "[UPDATE] Ceasefire [/] talks resume",
            "Talks resumed in Ankara on the Idlib ceasefire. Turkey hosted them.",
            places=["Idlib Governorate"],
            actors=[TUR],
        ),
        _article(
            11,
            date(2020, 3, 13),
            "Frontline Syria",
            "Shelling near Al-Nayrab",
            "Shelling was reported near Al-Nayrab and Saraqeb overnight.",
            places=["Al-Nayrab", "Saraqeb"],
            actors=[GOV, OPP],
        ),
        _article(
            12,
            date(2020, 3, 12),
            "Northline",
            "Aid convoys cross into Idlib",
            "Aid convoys crossed into Idlib, OCHA said, as rebels held the line.",
            places=["Idlib Governorate"],
            actors=[OCHA, OPP],
        ),
    ]


def build(path: Path) -> Path:
    """Write the fixture database to `path` (fixed times, last look on LAST_LOOK)."""
    db = open_db(path)
    write_batch(db, articles())
    with write_transaction(db):
        set_meta(db, "dashboard.last_seen", LAST_LOOK.isoformat())
    db.conn.close()
    return path
