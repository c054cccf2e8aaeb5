"""The background-operation helper: off the UI thread, progress, cancellation, readable errors."""

from __future__ import annotations

import threading
import time

from orion_desktop.operations import CancelToken, describe_error
from orion_server.errors import ValidationError


def test_an_operation_runs_off_the_ui_thread_and_delivers_its_result_on_it(qtbot, runner):
    """The callable sees another thread; the success callback runs on the UI thread."""
    seen = {}

    def work():
        seen["worker"] = threading.get_ident()
        return 42

    results = []
    operation = runner.run(work, on_success=lambda value: results.append((value, threading.get_ident())))
    with qtbot.waitSignal(operation.finished, timeout=5000):
        pass
    assert results == [(42, threading.get_ident())]
    assert seen["worker"] != threading.get_ident()
    assert not runner.busy


def test_progress_is_reported_to_the_ui(qtbot, runner):
    """A callable that takes ``progress`` reports steps the UI receives in order."""

    def work(progress):
        for step in (25, 50, 100):
            progress(step, f"step {step}")

    steps = []
    operation = runner.run(work)
    operation.progressed.connect(lambda percent, text: steps.append((percent, text)))
    with qtbot.waitSignal(operation.finished, timeout=5000):
        pass
    assert steps == [(25, "step 25"), (50, "step 50"), (100, "step 100")]


def test_a_cancelled_operation_stops_and_says_so(qtbot, runner):
    """A callable that takes ``cancel`` stops at its next check after cancel()."""

    def work(cancel: CancelToken):
        for _ in range(500):
            cancel.raise_if_cancelled()
            time.sleep(0.01)
        return "finished"

    failures = []
    operation = runner.run(work, on_failure=failures.append)
    assert operation.cancellable
    operation.cancel()
    with qtbot.waitSignal(operation.finished, timeout=5000):
        pass
    assert failures[0].message == "Cancelled."


def test_an_orion_error_becomes_its_own_sentence(qtbot, runner):
    """OrionError.message is shown as is, the traceback goes to the details."""

    def work():
        raise ValidationError("the code is taken", field="code")

    failures = []
    operation = runner.run(work, on_failure=failures.append)
    with qtbot.waitSignal(operation.finished, timeout=5000):
        pass
    assert failures[0].message == "The code is taken."
    assert "ValidationError" in failures[0].details


def test_an_unexpected_error_names_its_class_and_keeps_the_traceback():
    """Other exceptions read "Something went wrong: <ClassName>" with the traceback as details."""
    try:
        {}["missing"]
    except KeyError as exc:
        failure = describe_error(exc)
    assert failure.message == "Something went wrong: KeyError."
    assert "Traceback" in failure.details and "missing" in failure.details


def test_an_unhandled_failure_is_reported_by_the_runner(qtbot, runner):
    """Without an on_failure callback, the runner's failure_reported carries it to the window."""
    with qtbot.waitSignal(runner.failure_reported, timeout=5000) as blocker:
        runner.run(lambda: 1 / 0)
    assert blocker.args[0].message == "Something went wrong: ZeroDivisionError."


def test_the_runner_says_when_it_is_busy(qtbot, runner):
    """busy_changed goes True when work starts and False when the last operation ends."""
    seen = []
    runner.busy_changed.connect(seen.append)
    operation = runner.run(lambda: time.sleep(0.05))
    with qtbot.waitSignal(operation.finished, timeout=5000):
        pass
    qtbot.waitUntil(lambda: seen == [True, False], timeout=2000)
