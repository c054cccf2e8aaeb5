"""The Logs page's view-model: tailing logs.db with filters, and the support bundle."""

from __future__ import annotations

import logging
import zipfile

from orion_desktop.viewmodels.logs import LogsViewModel
from orion_server.logs import LOG_DB, LogDatabaseHandler, StructuredFormatter
from tests.desktop.conftest import wait_idle


def _log(path, name, level, message):
    handler = LogDatabaseHandler(path, StructuredFormatter("test"))
    try:
        handler.emit(logging.LogRecord(name, level, __file__, 1, message, None, None))
    finally:
        handler.close()


def _messages(model):
    return [r["message"] for r in model.table.records]


def test_a_record_written_to_logs_db_shows_up_while_tailing(qtbot, runner, tmp_path):
    """Records already there are read, and a new one arrives on the next poll."""
    path = tmp_path / LOG_DB
    _log(path, "orion_server.app", logging.INFO, "first record")
    model = LogsViewModel(runner, path=path, poll_ms=100)
    model.start()
    qtbot.waitUntil(lambda: _messages(model) == ["first record"], timeout=5000)
    _log(path, "modules.giftwrap.services", logging.WARNING, "paper ran out")
    qtbot.waitUntil(lambda: _messages(model) == ["first record", "paper ran out"], timeout=5000)
    assert model.sources == ["giftwrap", "orion_server"]
    model.pause()
    wait_idle(qtbot, runner)


def test_filters_by_level_source_and_text(qtbot, runner, tmp_path):
    """Level, source module and text narrow the rows; clearing them shows everything again."""
    path = tmp_path / LOG_DB
    _log(path, "orion_server.app", logging.INFO, "server started")
    _log(path, "modules.giftwrap.services", logging.WARNING, "paper ran out")
    _log(path, "modules.giftwrap.services", logging.INFO, "paper restocked")
    model = LogsViewModel(runner, path=path)
    model.poll()
    wait_idle(qtbot, runner)
    model.set_filters(min_level="WARNING")
    wait_idle(qtbot, runner)
    assert _messages(model) == ["paper ran out"]
    model.set_filters(min_level="DEBUG", source="giftwrap", text="restock")
    wait_idle(qtbot, runner)
    assert _messages(model) == ["paper restocked"]
    model.set_filters(source="", text="")
    wait_idle(qtbot, runner)
    assert len(_messages(model)) == 3


def test_the_support_bundle_is_previewed_then_saved(qtbot, runner, console_env, tmp_path):
    """The preview lists each file with a description; saving writes a zip holding those files."""
    from orion_server.config import get_settings

    _log(get_settings().logs_dir / LOG_DB, "orion_server.app", logging.INFO, "token=abc123 bundled record")
    model = LogsViewModel(runner)
    with qtbot.waitSignal(model.bundle_previewed, timeout=10_000) as preview:
        model.preview_bundle("1h")
    items = preview.args[0]
    assert [i.name for i in items][-1] == "logs.jsonl"
    assert all(i.description for i in items)
    with qtbot.waitSignal(model.bundle_saved, timeout=10_000) as saved:
        model.save_bundle("1h", str(tmp_path))
    with zipfile.ZipFile(saved.args[0]) as archive:
        assert sorted(archive.namelist()) == sorted(i.name for i in items)
        logs = archive.read("logs.jsonl").decode()
    assert "bundled record" in logs and "abc123" not in logs


def test_a_bad_time_window_is_a_sentence(qtbot, runner, console_env):
    """"2 weeks" is refused with the service's own message."""
    model = LogsViewModel(runner)
    with qtbot.waitSignal(model.failed, timeout=5000) as failed:
        model.preview_bundle("2 weeks")
    assert failed.args[0].message.startswith("Cannot read the time window '2 weeks'")


def test_the_logs_table_passes_qtmodeltester(qtbot, qtmodeltester, runner, tmp_path):
    """Empty, then with records of every level appended while tailing."""
    path = tmp_path / LOG_DB
    model = LogsViewModel(runner, path=path, parent=runner)  # alive until the tester's teardown
    qtmodeltester.check(model.table, force_py=True)
    for level, text in ((logging.DEBUG, "debug"), (logging.INFO, "info"), (logging.WARNING, "warn"),
                        (logging.ERROR, "error")):
        _log(path, "modules.giftwrap.services", level, text)
    model.poll()
    wait_idle(qtbot, runner)
    assert len(_messages(model)) == 4
    qtmodeltester.check(model.table, force_py=True)
