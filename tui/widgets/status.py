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
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    def show(self, path: Path, info: StatusInfo, window: str, now: datetime) -> None:
        # Most telling first: at 80 columns the line is cut (one line, with an ellipsis: see
        # the CSS), and what is cut must be the least needed: the ingest's absolute time,
        # then the database's name (the whole path is the tooltip).
        line = Text(end="")
        line.append("sitrep", style="bold")
        line.append(f" · window: {window}", style="bold")
        line.append(f" · {info.articles:,} articles")
        if not info.extraction_current:  # stored extraction predates this sitrep's rules
            line.append(" · extraction outdated: sitrep reindex", style="bold")
        if info.feeds:
            errors = f"{info.feed_errors} feed errors" if info.feed_errors else "feeds ok"
            line.append(f" · {errors}", style="bold" if info.feed_errors else "")
        ingest = info.last_ingest
        stamp = f"{relative_time(ingest, now)} ({absolute_time(ingest)})" if ingest else "never"
        line.append(f" · ingest {stamp}")
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
