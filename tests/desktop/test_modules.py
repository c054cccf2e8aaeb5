"""The Modules page's view-model: tiers, the cascade confirmed first, and a running server following."""

from __future__ import annotations

import time

import httpx
import pytest

from orion_desktop.server_control import ServerController, ServerState
from orion_desktop.viewmodels.modules import ModulesViewModel
from tests.desktop.conftest import GIFTWRAP_PAGE, wait_idle
from tests.support.servers import free_port


class Answers:
    """Stands in for the confirmation dialog: records each question and gives a fixed answer."""

    def __init__(self, answer: bool) -> None:
        self.answer = answer
        self.questions = []

    def __call__(self, question) -> bool:
        self.questions.append(question)
        return self.answer


def _loaded(qtbot, runner, answers):
    model = ModulesViewModel(runner, answers)
    model.load()
    wait_idle(qtbot, runner)
    assert model.platform_code == "main"
    return model


def _enabled(model, code):
    return model.module(code).enabled


def _disable_giftwrap_and_inventory(qtbot, runner):
    off = _loaded(qtbot, runner, Answers(True))
    for code in ("giftwrap", "inventory"):
        if _enabled(off, code):
            off.toggle(code, False)
            wait_idle(qtbot, runner)


def test_modules_are_grouped_by_tier_with_core_locked(qtbot, runner, console_env):
    """Core comes first under its title, its switch is not checkable and its tooltip says why."""
    from orion_desktop.qt import Qt

    model = _loaded(qtbot, runner, Answers(False))
    table = model.table
    assert table.data(table.index(0, 0)) == "Core: always on"
    core_row = next(r for r in range(table.rowCount()) if table.module_at(r) and table.module_at(r).tier == "core")
    switch = table.index(core_row, table.SWITCH)
    assert not table.flags(switch) & Qt.ItemFlag.ItemIsUserCheckable
    assert "always on" in table.data(switch, Qt.ItemDataRole.ToolTipRole)
    giftwrap = table.index(table.row_of("giftwrap"), table.SWITCH)
    assert table.flags(giftwrap) & Qt.ItemFlag.ItemIsUserCheckable


def test_cancelling_the_cascade_dialog_changes_nothing(qtbot, runner, console_env):
    """The operator sees "Enabling Gift wrapping also enables Inventory." and says no."""
    from orion_desktop.qt import Qt

    _disable_giftwrap_and_inventory(qtbot, runner)
    answers = Answers(False)
    model = _loaded(qtbot, runner, answers)
    table = model.table
    table.setData(table.index(table.row_of("giftwrap"), table.SWITCH), Qt.CheckState.Checked.value,
                  Qt.ItemDataRole.CheckStateRole)
    wait_idle(qtbot, runner)
    assert [q.text for q in answers.questions] == ["Enabling Gift wrapping also enables Inventory."]
    assert answers.questions[0].changed == ["inventory", "giftwrap"]
    model.reload_modules()
    wait_idle(qtbot, runner)
    assert not _enabled(model, "giftwrap") and not _enabled(model, "inventory")


@pytest.mark.slow
def test_a_confirmed_toggle_reaches_the_running_server_within_a_second(qtbot, runner, console_env):
    """Enable giftwrap (cascade accepted): its storefront page answers 200; disable it: 404."""
    _disable_giftwrap_and_inventory(qtbot, runner)
    server = ServerController(poll_ms=200)
    server.configure(port=free_port())
    try:
        assert server.start()
        qtbot.waitUntil(lambda: server.state == ServerState.READY, timeout=40_000)
        url = server.base_url + GIFTWRAP_PAGE
        assert httpx.get(url).status_code == 404
        answers = Answers(True)
        model = _loaded(qtbot, runner, answers)
        for on, expected in ((True, 200), (False, 404)):
            model.toggle("giftwrap", on)
            wait_idle(qtbot, runner)
            assert _enabled(model, "giftwrap") is on
            changed_at = time.monotonic()
            with httpx.Client(timeout=2.0) as http:
                while http.get(url).status_code != expected:
                    assert time.monotonic() - changed_at < 1.0, f"the server still does not answer {expected}"
                    time.sleep(0.05)
        assert answers.questions[0].text == "Enabling Gift wrapping also enables Inventory."
        assert answers.questions[1].text == "Disable Gift wrapping? Its data is kept."
    finally:
        server.stop()
        server.deleteLater()
        qtbot.wait(50)


def test_the_modules_table_passes_qtmodeltester(qtbot, qtmodeltester, runner, console_env):
    """Empty, then filled with tier titles and switches: the model keeps Qt's contract."""
    empty = ModulesViewModel(runner, Answers(False), runner)  # alive until the tester's teardown
    qtmodeltester.check(empty.table, force_py=True)
    model = ModulesViewModel(runner, Answers(False), runner)
    model.load()
    wait_idle(qtbot, runner)
    assert model.table.rowCount() > 10
    qtmodeltester.check(model.table, force_py=True)
