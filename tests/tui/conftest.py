"""Dashboard test fixtures: real SQLite files, a fixed clock, helpers to let workers finish."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import dashboard_fixture as fixture_db
import pytest
from textual.pilot import Pilot

from core.models import Article, Extraction
from core.profile import Profile
from core.store import open_db, set_meta, write_transaction
from tui.app import SitrepApp

SNAPSHOT_NOW = datetime(2020, 3, 16, 12, 0, tzinfo=UTC)
SAMPLE_FETCHED = datetime(2020, 3, 10, 6, 0, tzinfo=UTC)
SAMPLE_LAST_LOOK = datetime(2020, 3, 1, 0, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def fixture_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return fixture_db.build(tmp_path_factory.mktemp("fixture") / "fixture.db")


@pytest.fixture
def fixture_path(fixture_template: Path, tmp_path: Path) -> Path:
    """A fresh copy of the hand-made database (the app writes its "last look" into it)."""
    return Path(shutil.copy(fixture_template, tmp_path / "dash.db"))


def _sample_profile() -> Profile | None:
    try:
        from core.profile import load_profile

        return load_profile(None)
    except Exception:  # the built-in profile is not there yet: track the top places
        return None


def _deterministic(extract: Callable[[Article], Extraction] | None, root: str) -> Callable:
    """Wrap the extractor so every article gets a fixed fetch time and a checkout-free url."""

    def run(article: Article) -> Extraction:
        article.fetched = SAMPLE_FETCHED
        if article.url.startswith(root):
            article.url = "file:///sample_data/" + article.url[len(root) :]
        return extract(article) if extract is not None else Extraction()

    return run


@pytest.fixture(scope="session")
def sample_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """sample_data/ ingested with the real extractor, fixed fetch times, last look fixed."""
    from core.config import sample_data_dir
    from core.pipeline import ingest_paths, load_extractor

    path = tmp_path_factory.mktemp("sample") / "sample.db"
    db = open_db(path)
    folder = sample_data_dir()
    root = folder.resolve().as_uri() + "/"
    ingest_paths(db, [folder], extractor=_deterministic(load_extractor(), root))
    with write_transaction(db):
        set_meta(db, "dashboard.last_seen", SAMPLE_LAST_LOOK.isoformat())
    db.conn.close()
    return path


@pytest.fixture
def sample_path(sample_template: Path, tmp_path: Path) -> Path:
    return Path(shutil.copy(sample_template, tmp_path / "sample.db"))


@pytest.fixture
def make_app() -> Callable[..., SitrepApp]:
    """An app on `path` with the fixed clock and (by default) the test profile."""

    def make(
        path: Path, *, profile: Profile | None = fixture_db.PROFILE, **kwargs: object
    ) -> SitrepApp:
        kwargs.setdefault("poll_interval", 3600.0)
        kwargs.setdefault("window", "all")
        return SitrepApp(path, profile=profile, clock=lambda: fixture_db.NOW, **kwargs)  # type: ignore[arg-type]

    return make


@pytest.fixture
def make_sample_app() -> Callable[[Path], SitrepApp]:
    def make(path: Path) -> SitrepApp:
        return SitrepApp(
            path, profile=_sample_profile(), clock=lambda: SNAPSHOT_NOW, poll_interval=3600.0
        )

    return make


async def settle(pilot: Pilot[None]) -> None:
    """Let every worker finish and its messages land (no sleeping for timing)."""
    app = pilot.app
    for _ in range(3):
        await pilot.pause()
        await app.workers.wait_for_complete()
    await pilot.pause()


def modules_loaded(
    code: str, names: tuple[str, ...] = ("core.store", "sqlite_utils")
) -> list[bool]:
    """Run `code` in a fresh interpreter from the repository root; which of `names` it loaded."""
    import json
    import subprocess
    import sys

    report = f"\nimport json, sys\nprint(json.dumps([n in sys.modules for n in {list(names)!r}]))\n"
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run(
        [sys.executable, "-c", code + report], cwd=root, capture_output=True, text=True, check=True
    )
    return list(json.loads(out.stdout.strip().splitlines()[-1]))
