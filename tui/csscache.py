"""Parsed Textual CSS kept in the user cache folder between starts of the dashboard.

Textual parses every CSS source it meets (app.tcss and each widget class's DEFAULT_CSS) with
a pure-Python tokenizer each time a process starts: ~25-45 ms of the dashboard's start-up
before its first frame, more than the rest of the styling. Its stylesheet keeps the parsed
rules of each source in a dict keyed by the source's full text and place (`_parse_cache`);
`CachedStylesheet` looks a missing key up in the rules a previous start parsed from the very
same text, with the same theme variables, Textual and Python, read back from one pickle file
(~2 ms), and parses only what is not there. After the first frame (and when the app ends) the
rules parsed anew are written back for the next start.

A missing, damaged or unreadable file, or one from another Textual, Python or theme, means
parsing as ever. The file is a pickle (Textual's rule objects, as they are), trusted as the
user's own files are, like Python's __pycache__: the boundary is that it is read only when the
file and its folder belong to the user and nobody else can write them (a shared server with a
loose cache folder). Past that, a file that names anything but classes and functions Textual
and rich define, functools.partial and getattr (Styles keep bound methods of their rule dict)
is refused and the CSS is parsed: a sanity check against damage, not a sandbox.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import os
import pickle
import sys
import types
from pathlib import Path
from typing import Any

from textual.css.model import RuleSet
from textual.css.stylesheet import CSSLocation, Stylesheet

from core.cachefiles import prune_siblings

CACHE_PREFIX = "css-"
# Modules whose classes a cached file may name (the parsed rules are made of these only).
_ALLOWED_MODULES = ("textual.", "rich.")
_ALLOWED_NAMES = {("functools", "partial"), ("builtins", "getattr")}

ParseKey = tuple[str, CSSLocation, bool, int, str]


class CachedStylesheet(Stylesheet):
    """Textual's stylesheet, whose parsed sources come from the cache file when it has them."""

    def __init__(self, *, variables: dict[str, str] | None = None) -> None:
        super().__init__(variables=variables)
        self._stored: dict[ParseKey, list[RuleSet]] | None = None
        self._stored_for: str | None = None
        self._digest_of: tuple[dict[str, str], str] | None = None
        self._unsaved = False

    def _parse_rules(
        self,
        css: str,
        read_from: CSSLocation,
        is_default_rules: bool = False,
        tie_breaker: int = 0,
        scope: str = "",
    ) -> list[RuleSet]:
        key: ParseKey = (css, read_from, is_default_rules, tie_breaker, scope)
        if key not in self._parse_cache:
            stored = self._stored_rules().get(key)
            if stored is not None:
                self._parse_cache[key] = stored
                return stored
        rules = super()._parse_rules(css, read_from, is_default_rules, tie_breaker, scope)
        if key not in self._stored_rules():
            self._stored_rules()[key] = rules
            self._unsaved = True
        return rules

    def _stored_rules(self) -> dict[ParseKey, list[RuleSet]]:
        """The cached rules for the current variables (read once per set of variables)."""
        if self._digest_of is None or self._digest_of[0] is not self._variables:
            self._digest_of = (self._variables, _digest(self._variables))
        digest = self._digest_of[1]
        if self._stored is None or self._stored_for != digest:
            self._stored = _read(_cache_path(digest)) or {}
            self._stored_for = digest
            self._unsaved = False
        return self._stored

    def save(self) -> None:
        """Write the rules parsed since the file was read (nothing when none were)."""
        if not self._unsaved or self._stored is None or self._stored_for is None:
            return
        self._unsaved = False
        _write(_cache_path(self._stored_for), self._stored)


def _digest(variables: dict[str, str]) -> str:
    """What the parsed rules depend on: the theme's variables, this Python and this Textual
    (its CSS modules' sizes and times: reading its version from the package metadata costs
    ~2 ms)."""
    digest = hashlib.sha256(f"{sys.version}|{pickle.HIGHEST_PROTOCOL}".encode())
    digest.update(_textual_stamp().encode())
    for name in sorted(variables):
        digest.update(f"\0{name}\0{variables[name]}".encode())
    return digest.hexdigest()[:40]


@functools.cache
def _textual_stamp() -> str:
    import textual.css

    folder = Path(textual.css.__file__).parent
    stamps = []
    for name in ("model.py", "parse.py", "styles.py", "tokenize.py", "_styles_builder.py"):
        try:
            info = (folder / name).stat()
        except OSError:
            return ""
        stamps.append(f"{name}:{info.st_size}:{info.st_mtime_ns}")
    return f"{folder}|{'|'.join(stamps)}"


def _cache_path(digest: str) -> Path | None:
    try:
        import platformdirs

        folder = platformdirs.user_cache_dir("sitrep", appauthor=False)
    except Exception:  # no cache folder: parse every time
        return None
    return Path(folder) / f"{CACHE_PREFIX}{digest}.pickle"


class _RulesUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _ALLOWED_NAMES:
            return super().find_class(module, name)
        if not module.startswith(_ALLOWED_MODULES) or "." in name:
            raise pickle.UnpicklingError(f"{module}.{name} is not part of parsed CSS")
        found = super().find_class(module, name)
        # only a class or function of Textual's or rich's own: never a module they import
        # ('textual.app.os') or anything else reachable through their namespaces
        defined_in = getattr(found, "__module__", None) or ""
        if isinstance(found, types.ModuleType) or not defined_in.startswith(_ALLOWED_MODULES):
            raise pickle.UnpicklingError(f"{module}.{name} is not part of parsed CSS")
        return found


def _private_to_user(path: Path) -> bool:
    """The file and its folder belong to this user and nobody else can write them (a cache
    on a shared server that others could replace is not read)."""
    if not hasattr(os, "getuid"):
        return True  # Windows: the user's own profile folder
    for item in (path, path.parent):
        info = item.stat()
        if info.st_uid != os.getuid() or info.st_mode & 0o022:
            return False
    return True


def _read(path: Path | None) -> dict[ParseKey, list[RuleSet]] | None:
    if path is None:
        return None
    try:
        if not _private_to_user(path):
            return None
        data = _RulesUnpickler(io.BytesIO(path.read_bytes())).load()
    except Exception:  # missing, damaged, from elsewhere: parse
        return None
    if not isinstance(data, dict) or not all(
        isinstance(key, tuple) and isinstance(rules, list) for key, rules in data.items()
    ):
        return None
    return data


def _write(path: Path | None, data: dict[ParseKey, list[RuleSet]]) -> None:
    if path is None:
        return
    try:
        payload = pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # something in the rules does not pickle: keep parsing
        return
    partial = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        partial.touch(mode=0o600)
        partial.write_bytes(payload)
        os.replace(partial, path)
    except OSError:
        with contextlib.suppress(OSError):
            partial.unlink()
        return
    prune_siblings(path, f"{CACHE_PREFIX}*.pickle")
