"""The Platforms & stores view-model: both lists through the tenancy service, with search."""

from __future__ import annotations

from orion_desktop.viewmodels.platforms import PlatformsViewModel
from tests.desktop.conftest import wait_idle


def test_platforms_and_stores_are_listed_and_searched(qtbot, runner, console_env):
    """The main platform and the bakery are listed; a search for "bak" keeps only the store."""
    model = PlatformsViewModel(runner)
    model.load()
    wait_idle(qtbot, runner)
    assert [row.code for row in model.platforms.rows] == ["main"]
    assert [(row.code, row.platform) for row in model.stores.rows] == [("bakery", "main")]
    assert model.platforms.rows[0].stores == 1
    model.load("bak")
    wait_idle(qtbot, runner)
    assert model.platforms.rowCount() == 0 and model.stores.rowCount() == 1
    model.load("nothing-like-this")
    wait_idle(qtbot, runner)
    assert model.stores.rowCount() == 0
    assert "Nothing matches" in model.empty_text
