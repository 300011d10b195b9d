"""Turning stored values into `Text` for the screen: never markup, always sanitised again.

Feed text is cleaned at ingest, but a raw string may still slip in (an old database, another
tool writing to it), so everything shown passes `safe()` once more: control characters, ESC,
C1 and bidi overrides never reach the terminal, and `[...]` is never parsed as markup.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from rich.text import Text

from core.models import Figure, day_text
from core.text import strip_unsafe

SIDE_SYMBOLS: dict[str, str] = {
    "government": "■",
    "opposition": "▲",
    "jihadist": "◆",
    "kurdish": "▼",
    "turkey": "●",
    "russia": "✦",
    "iran": "◇",
    "us_coalition": "★",
    "international": "○",
    "humanitarian": "✚",
    "monitor": "◎",
    "media": "□",
}
QUALIFIER_WORDS: dict[str, str] = {
    "exact": "",
    "approx": "about ",
    "at_least": "at least ",
    "at_most": "up to ",
    "range": "",
}
SPARK_BLOCKS = " ▁▂▃▄▅▆▇█"
# Terminals narrower than this get compact columns (the panes are tabs, a detail screen
# drops what its rows cannot fit): 80 columns is the size to design for.
NARROW_BELOW = 110
DISAGREE_MARK = "≠"
NEW_MARK = "●"


def safe(value: object) -> str:
    """A single-line string with nothing a terminal would act on."""
    text = strip_unsafe("" if value is None else str(value))
    return text.replace("\n", " ").replace("\t", " ")


def plain(value: object, style: str = "", *, limit: int | None = None) -> Text:
    """Literal text: brackets, backslashes and all, shown as they are (clipped to `limit`)."""
    text = safe(value)
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    return Text(text, style=style, end="")


def multiline(value: object) -> Text:
    """Literal text keeping its line breaks (article bodies)."""
    return Text(strip_unsafe("" if value is None else str(value)), end="")


def side_badge(side: str | None, actor: str | None = None) -> Text:
    """Side as a symbol AND a word, so it reads without colour."""
    if not side:
        return plain(actor or "no report", "dim")
    symbol = SIDE_SYMBOLS.get(side, "·")
    label = f"{symbol} {safe(side)}"
    if actor:
        label += f" ({safe(actor)})"
    return Text(label, style="bold", end="")


def relative_time(moment: datetime | None, now: datetime) -> str:
    """ "3 h ago"-style age; future times (clock skew) read as "now"."""
    if moment is None:
        return "?"
    seconds = (now - moment).total_seconds()
    if seconds < 60:
        return "now"
    for unit, size in (
        ("y", 365 * 86_400),
        ("mo", 30 * 86_400),
        ("d", 86_400),
        ("h", 3_600),
        ("m", 60),
    ):
        if unit == "mo" and seconds < 60 * 86_400:
            continue  # "45d ago" reads better than "1mo ago"
        if seconds >= size:
            return f"{int(seconds // size)}{unit} ago"
    return "now"


def absolute_time(moment: datetime | None) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M") if moment else "?"


def when(moment: datetime | None, now: datetime, *, compact: bool = False) -> Text:
    """Relative and absolute time together (month-day only when space is short)."""
    if moment is None:
        return plain("?")
    stamp = moment.astimezone(UTC).strftime("%m-%d") if compact else absolute_time(moment)
    return Text(f"{relative_time(moment, now):>8} {stamp}", end="")


def when_published(
    published: datetime | None, fetched: datetime, now: datetime, *, compact: bool = False
) -> Text:
    """An article's time: its publication, else how long ago it arrived and 'undated' (it
    sorts by its arrival; shown as a date it passed for one)."""
    if published is not None:
        return when(published, now, compact=compact)
    return Text(f"{relative_time(fetched, now):>8} undated", style="dim", end="")


def day(value: date | None, precision: str = "day") -> str:
    """A date as precise as its source ('2019-08' for a month), '?' when unknown."""
    return day_text(value, precision) if value else "?"


def sparkline(values: list[int]) -> Text:
    """Block characters scaled to the largest value (blank days are spaces)."""
    top = max(values, default=0)
    if top <= 0:
        return Text("·" * len(values), style="dim", end="")
    steps = len(SPARK_BLOCKS) - 1
    chars = [SPARK_BLOCKS[0 if v <= 0 else max(1, round(v / top * steps))] for v in values]
    return Text("".join(chars), end="")


def figure_value(figure: Figure) -> str:
    """ "at least 12", "about 900,000", "50-100"."""
    if figure.qualifier == "range" and figure.low is not None and figure.high is not None:
        return f"{figure.low:,}-{figure.high:,}"
    return f"{QUALIFIER_WORDS.get(figure.qualifier, '')}{figure.value:,}"


def category_label(category: str) -> str:
    """'in_need' reads 'in need' on screen (JSON and the CLI keep the contract's names)."""
    return category.replace("_", " ")


def figure_amount(figure: Figure) -> str:
    """The value with its unit where the category does not give it: 'at least 12' (killed:
    people), '100 trucks' (aid: trucks, parcels or people)."""
    value = figure_value(figure)
    return f"{value} {figure.group}" if figure.category == "aid" and figure.group else value


def figure_phrase(figure: Figure) -> str:
    """'at least 12 killed', 'about 2,800,000 in need', '100 trucks of aid'."""
    if figure.category == "aid":
        return f"{figure_amount(figure)} of aid" if figure.group else f"aid: {figure_value(figure)}"
    return f"{figure_value(figure)} {category_label(figure.category)}"


def figure_line(figure: Figure) -> Text:
    """One figure: value, category, place, date and source."""
    line = Text(end="")
    line.append(safe(figure_phrase(figure)), style="bold")
    if figure.place:
        line.append(f" in {safe(figure.place)}")
    line.append(f" · {day(figure.date)}", style="dim")
    if figure.source:
        line.append(f" · {safe(figure.source)}", style="dim")
    return line


def trend_arrow(trend: int) -> Text:
    """Rising, falling or flat, as an arrow and a word (no colour needed)."""
    return {
        1: Text("▲ up", end=""),
        -1: Text("▼ down", end=""),
    }.get(trend, Text("= flat", style="dim", end=""))
