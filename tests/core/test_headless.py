"""core/ never imports textual or rich: every core module is imported in a fresh interpreter.

A meta-path hook records which module asked for textual or rich. The only tolerated importer
is httpx's optional command-line module (`httpx._main`, loaded by `import httpx` whenever rich
is installed): that is a third-party import, not core reaching for the UI.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "core"
TOLERATED_IMPORTERS = {"httpx._main"}

PROBE = """
import importlib, json, pkgutil, sys

requests = []

class Recorder:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("textual", "rich"):
            frame = sys._getframe(1)
            skip = ("importlib", "_frozen")
            while frame and frame.f_globals.get("__name__", "").startswith(skip):
                frame = frame.f_back
            requests.append((name, frame.f_globals.get("__name__", "?") if frame else "?"))
        return None

sys.meta_path.insert(0, Recorder())
import core
names = sorted(m.name for m in pkgutil.walk_packages(core.__path__, "core."))
failed = {}
for name in names:
    try:
        importlib.import_module(name)
    except Exception as exc:  # a module broken by work in progress is reported, not hidden
        failed[name] = repr(exc)
print(json.dumps({"modules": names, "requests": requests, "failed": failed}))
"""


def probe() -> dict[str, object]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=CORE.parent, capture_output=True, text=True, check=True
    )
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def test_core_never_imports_textual_or_rich() -> None:
    report = probe()
    modules = report["modules"]
    assert isinstance(modules, list)
    assert "core.pipeline" in modules and "core.ingest.textfile" in modules
    requests = report["requests"]
    assert isinstance(requests, list)
    importers = {
        importer for name, importer in requests if not importer.startswith(("rich", "textual"))
    }
    assert importers <= TOLERATED_IMPORTERS, f"core reached for the UI via {importers}"


def test_no_core_source_imports_textual_or_rich() -> None:
    offenders = [
        str(path.relative_to(CORE))
        for path in CORE.rglob("*.py")
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip().startswith(("import textual", "from textual", "import rich", "from rich"))
    ]
    assert offenders == []
