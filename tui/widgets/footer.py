"""The key footer: one widget drawing one line, rebuilt only when its keys change."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widget import Widget

Key = tuple[str, str, str, bool, str]  # key, key display, description, enabled, tooltip


class KeyFooter(Widget):
    """The screen's keys, drawn as Textual's Footer draws them, with the command palette key
    on the right. Textual's Footer is a container of one widget per key (each composed,
    styled and laid out, and all rebuilt on every focus move); this is one widget whose line
    is redrawn only when the keys it shows change. A click on a key presses it."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "key-footer--key",
        "key-footer--description",
        "key-footer--separator",
    }
    DEFAULT_CSS = """
    KeyFooter {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        text-wrap: nowrap;
        .key-footer--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        .key-footer--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        .key-footer--separator {
            color: $foreground 20%;
        }
    }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._keys: tuple[Key, ...] = ()
        self._palette: Key | None = None
        self._spans: list[tuple[int, int, Key]] = []

    @property
    def keys(self) -> list[tuple[str, str]]:
        """(key, description) of every key shown, the command palette's last."""
        shown = [*self._keys, *([self._palette] if self._palette else [])]
        return [(key, description) for key, _, description, _, _ in shown]

    def on_mount(self) -> None:
        self._read_keys(self.screen)
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[Any]) -> None:
        if screen is self.screen and self._read_keys(screen):
            self.refresh()

    def _read_keys(self, screen: Screen[Any]) -> bool:
        """Take the screen's shown keys; True if they differ from those drawn."""
        keys: list[Key] = []
        palette: Key | None = None
        for _, binding, enabled, tooltip in screen.active_bindings.values():
            key = (binding.key, self.app.get_key_display(binding), binding.description)
            entry = (*key, enabled, tooltip or binding.tooltip)
            if binding.key == self.app.COMMAND_PALETTE_BINDING:
                palette = entry if self.app.ENABLE_COMMAND_PALETTE else None
            elif binding.show:
                keys.append(entry)
        changed = (tuple(keys), palette) != (self._keys, self._palette)
        self._keys, self._palette = tuple(keys), palette
        return changed

    def render(self) -> Text:
        key_style = self.get_component_rich_style("key-footer--key")
        text_style = self.get_component_rich_style("key-footer--description")
        line = Text(no_wrap=True, end="")
        self._spans = []
        for entry in self._keys:
            label = Text.assemble((f" {entry[1]} ", key_style), (f"{entry[2]} ", text_style))
            if not entry[3]:
                label.stylize("dim")
            self._add(line, label, entry)
        if self._palette is not None:
            entry = self._palette
            separator = self.get_component_rich_style("key-footer--separator")
            label = Text.assemble(
                ("▏", separator), (entry[1], key_style), (f" {entry[2]}", text_style), " "
            )
            line.append(" " * max(1, self.size.width - line.cell_len - label.cell_len))
            self._add(line, label, entry)
        return line

    def _add(self, line: Text, label: Text, entry: Key) -> None:
        """Append a key's label, remembering which columns it covers (for clicks)."""
        start = line.cell_len
        line.append_text(label)
        self._spans.append((start, line.cell_len, entry))

    def _key_at(self, x: int) -> Key | None:
        return next((entry for start, end, entry in self._spans if start <= x < end), None)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        entry = self._key_at(event.x)
        if entry is None:
            return
        if entry[3]:
            self.app.simulate_key(entry[0])
        else:
            self.app.bell()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        entry = self._key_at(event.x)
        self.tooltip = (entry[4] or None) if entry else None
