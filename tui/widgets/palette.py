"""Command palette provider (ctrl+p): jump to any place or actor by name."""

from __future__ import annotations

import asyncio
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from core.query.dashboard import known_names
from tui.messages import OpenActor, OpenPlace
from tui.widgets.render import safe

if TYPE_CHECKING:
    from tui.app import SitrepApp


class JumpProvider(Provider):
    """Every stored place and actor name; names are shown as literal `Content`, never markup."""

    async def startup(self) -> None:
        app = cast("SitrepApp", self.app)
        places, actors = await asyncio.to_thread(app.reader.run, known_names)
        self._targets = [(safe(p), "place") for p in places] + [(safe(a), "actor") for a in actors]

    def _open(self, name: str, kind: str) -> None:
        message = OpenPlace(name) if kind == "place" else OpenActor(name)
        self.app.post_message(message)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, kind in self._targets:
            score = matcher.match(name)
            if score > 0:
                yield Hit(
                    score,
                    Content(f"{name} ({kind})"),
                    partial(self._open, name, kind),
                    text=name,
                    help=f"Open the {kind}",
                )

    async def discover(self) -> Hits:
        for name, kind in self._targets[:40]:
            yield DiscoveryHit(
                Content(f"{name} ({kind})"),
                partial(self._open, name, kind),
                text=name,
                help=f"Open the {kind}",
            )
