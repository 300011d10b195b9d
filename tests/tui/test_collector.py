"""The cyclic collector rests only until the dashboard's first frame (tui.app.on_load)."""

from __future__ import annotations

import gc

from conftest import settle


async def test_collector_runs_again_after_the_first_frame(fixture_path, make_app):
    assert gc.isenabled()
    app = make_app(fixture_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert gc.isenabled()
    assert gc.isenabled()


async def test_collector_left_off_stays_off(fixture_path, make_app):
    """A process that turned the collector off itself keeps it off."""
    gc.disable()
    try:
        app = make_app(fixture_path)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()
