"""The parsed CSS kept between starts (tui.csscache): same screens, no parsing the second time,
and a damaged or foreign cache file means parsing as before."""

from __future__ import annotations

import io
import pickle
import shutil
from pathlib import Path

import pytest
from conftest import settle
from textual.css.stylesheet import Stylesheet

from tui.messages import OpenPlace


def _css_files() -> list[Path]:
    import platformdirs

    return sorted(Path(platformdirs.user_cache_dir("sitrep", appauthor=False)).glob("css-*"))


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The CSS sources Textual really parses (not found in its own or the file's cache)."""
    parsed: list[str] = []
    real = Stylesheet._parse_rules

    def counted(self, css, read_from, *args, **kwargs):  # type: ignore[no-untyped-def]
        if (css, read_from, *args) not in self._parse_cache:
            parsed.append(str(read_from))
        return real(self, css, read_from, *args, **kwargs)

    monkeypatch.setattr(Stylesheet, "_parse_rules", counted)
    return parsed


async def _screens(make_app, db: Path, size: tuple[int, int]) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """The main screen and a drill-down, as SVG, on a fresh copy of `db` (an app stores its
    "last look", which changes what the next one marks new)."""
    folder = db.parent / f"run-{len(list(db.parent.glob('run-*')))}"
    folder.mkdir()
    copy = Path(shutil.copy(db, folder / db.name))
    app = make_app(copy)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        main = app.export_screenshot()
        app.post_message(OpenPlace("Saraqeb"))
        await settle(pilot)
        place = app.export_screenshot()
    return main, place


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_second_start_reads_the_css_and_draws_the_same(
    size, sample_path, make_sample_app, parses
):
    first = await _screens(make_sample_app, sample_path, size)
    assert parses, "the first start parses its CSS"
    assert len(_css_files()) == 1
    parses.clear()
    second = await _screens(make_sample_app, sample_path, size)
    assert second == first
    assert parses == []


@pytest.mark.parametrize(
    "content",
    [
        b"not a pickle",
        pickle.dumps({("css", ("path", ""), False, 0, ""): "not rules"}),
        # names a class outside Textual and rich: refused, never called
        b"cos\nsystem\n(S'echo unsafe'\ntR.",
    ],
    ids=["damaged", "wrong-shape", "foreign"],
)
async def test_unusable_cache_file_means_parsing(content, sample_path, make_sample_app, parses):
    first = await _screens(make_sample_app, sample_path, (120, 40))
    (cache,) = _css_files()
    cache.write_bytes(content)
    parses.clear()
    again = await _screens(make_sample_app, sample_path, (120, 40))
    assert again == first
    assert parses, "nothing usable in the file: the CSS is parsed"
    assert pickle.loads(cache.read_bytes()), "and the file is written anew"


async def test_a_cache_file_others_can_write_is_not_read(sample_path, make_sample_app, parses):
    """On a shared server a cache file another user could have replaced is never unpickled."""
    first = await _screens(make_sample_app, sample_path, (120, 40))
    (cache,) = _css_files()
    cache.chmod(0o666)
    parses.clear()
    again = await _screens(make_sample_app, sample_path, (120, 40))
    assert again == first
    assert parses, "the file was not trusted: the CSS is parsed"
    assert cache.stat().st_mode & 0o022 == 0, "and written anew, private to the user"


def test_a_module_reached_through_textual_is_refused(tmp_path: Path) -> None:
    """getattr(textual.app.os, "mkdir")(...) names only allowed modules by their prefix: the
    unpickler must still refuse it (a module is no part of parsed CSS), so nothing runs."""
    from tui.csscache import _RulesUnpickler

    marker = tmp_path / "ran"
    payload = (
        b"cbuiltins\ngetattr\n(ctextual.app\nos\nS'mkdir'\ntR(S'" + str(marker).encode() + b"'\ntR."
    )
    with pytest.raises(pickle.UnpicklingError):
        _RulesUnpickler(io.BytesIO(payload)).load()
    assert not marker.exists()
