"""The key footer: drawn with the screen's first frame, rebuilt only when its keys change."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer

Keys = tuple[tuple[str, str, bool, str], ...]


class KeyFooter(Footer):
    """Textual's Footer starts empty, fills in after the first frame, and rebuilds every key
    widget whenever the bindings may have changed (each focus move). This one shows its keys
    in the first frame and rebuilds only when the keys it shows (key, label, enabled,
    tooltip) differ from the ones on screen."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.set_reactive(Footer._bindings_ready, True)
        self._shown: Keys | None = None

    def _keys(self, screen: Screen[Any]) -> Keys:
        return tuple(
            (binding.key, binding.description, enabled, tooltip)
            for _, binding, enabled, tooltip in screen.active_bindings.values()
            if binding.show or binding.key == self.app.COMMAND_PALETTE_BINDING
        )

    def compose(self) -> ComposeResult:
        self._shown = self._keys(self.screen)
        yield from super().compose()

    def bindings_changed(self, screen: Screen[Any]) -> None:
        if self._keys(screen) != self._shown:
            super().bindings_changed(screen)  # recomposes, which records the keys shown
