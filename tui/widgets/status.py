"""The one-line status header and the pane bar shown when panes become tabs."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from rich.text import Text
from textual.widgets import Static

from core.query.dashboard import StatusInfo
from tui.widgets.render import absolute_time, relative_time, safe


class StatusLine(Static):
    """Database, article count, last ingest, feed errors and the time window."""

    DEFAULT_CSS = """
    StatusLine {
        height: 1;
        background: $panel;
        color: $foreground;
        padding: 0 1;
    }
    """

    def show(self, path: Path, info: StatusInfo, window: str, now: datetime) -> None:
        # One line, cut with an ellipsis: a line that wrapped lost its last words (the
        # database) to the hidden second row. The file name fits; the whole path is the tooltip.
        line = Text(end="", no_wrap=True, overflow="ellipsis")
        line.append("sitrep", style="bold")
        line.append(f" · window: {window}", style="bold")
        line.append(f" · {info.articles:,} articles")
        ingest = info.last_ingest
        stamp = f"{absolute_time(ingest)} ({relative_time(ingest, now)})" if ingest else "never"
        line.append(f" · ingest {stamp}")
        if info.feeds:
            errors = f"{info.feed_errors} feed errors" if info.feed_errors else "feeds ok"
            line.append(f" · {errors}", style="bold" if info.feed_errors else "")
        line.append(f" · {safe(path.name)}", style="dim")
        self.tooltip = Text(safe(str(path)), end="")
        self.update(line)


class PaneBar(Static):
    """Which pane is shown when the screen is too narrow for all four."""

    DEFAULT_CSS = """
    PaneBar {
        height: 1;
        padding: 0 1;
        color: $text-muted;
    }
    """

    def show(self, titles: list[str], active: int) -> None:
        bar = Text(end="")
        for index, title in enumerate(titles):
            style = "reverse bold" if index == active else ""
            bar.append(f" {index + 1} {title} ", style=style)
            bar.append(" ")
        self.update(bar)
