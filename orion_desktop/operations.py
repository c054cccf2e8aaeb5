"""One helper for every background action: off the UI thread, with progress, cancellation and
errors turned into a plain sentence plus details.

A callable run here may take keyword arguments ``progress`` (call it with a percentage, or
-1 when unknown, and a short text) and ``cancel`` (a ``CancelToken`` to check between steps);
it receives only those it declares. Its result or failure arrives on the UI thread.
"""

from __future__ import annotations

import inspect
import logging
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from orion_desktop.qt import QObject, QRunnable, QThreadPool, Signal, Slot
from orion_desktop.strings import tr

logger = logging.getLogger(__name__)


class CancelToken:
    """Set by the console when the operator cancels; the running callable checks it."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        """Ask the operation to stop at its next check."""
        self._event.set()

    @property
    def cancelled(self) -> bool:
        """Whether cancelling was asked for."""
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        """Stop the operation here when it was cancelled."""
        if self._event.is_set():
            raise OperationCancelled()


class OperationCancelled(Exception):
    """The operator cancelled the operation."""


@dataclass(frozen=True)
class Failure:
    """An error as the operator reads it: one sentence, and the details on request."""

    message: str
    details: str = ""


def describe_error(exc: BaseException) -> Failure:
    """A readable sentence for ``exc`` (Orion's own message when it has one) and its traceback."""
    from orion_server.errors import OrionError

    details = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    if isinstance(exc, OrionError):
        message = exc.message
    elif isinstance(exc, OperationCancelled):
        message = tr("Cancelled.")
    else:
        message = tr("Something went wrong: {name}", name=exc.__class__.__name__)
    if message and message[0].islower():
        message = message[0].upper() + message[1:]
    if message and message[-1] not in ".!?":
        message += "."
    return Failure(message, details)


class _WorkerSignals(QObject):
    """Signals emitted from the pool thread; queued to the Operation on the UI thread."""

    progress = Signal(int, str)
    done = Signal(object, object)  # result, Failure | None


class Operation(QObject):
    """One background action; its signals are always delivered on the UI thread."""

    progressed = Signal(int, str)
    succeeded = Signal(object)
    failed = Signal(object)
    finished = Signal()

    def __init__(self, label: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.label = label
        self.token = CancelToken()
        self.cancellable = False
        self.done = False
        self.result: Any = None
        self.failure: Failure | None = None
        self._signals = _WorkerSignals()
        self._signals.progress.connect(self._on_progress)
        self._signals.done.connect(self._on_done)

    def cancel(self) -> None:
        """Ask the callable to stop (only callables that take ``cancel`` can)."""
        self.token.cancel()

    @Slot(int, str)
    def _on_progress(self, percent: int, text: str) -> None:
        self.progressed.emit(percent, text)

    @Slot(object, object)
    def _on_done(self, result: Any, failure: Failure | None) -> None:
        self.done = True
        self.result, self.failure = result, failure
        if failure is None:
            self.succeeded.emit(result)
        else:
            self.failed.emit(failure)
        self.finished.emit()


class _Job(QRunnable):
    def __init__(self, operation: Operation, call: Callable[[], Any]) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self.signals = operation._signals
        self.call = call

    def run(self) -> None:
        try:
            result = self.call()
        except BaseException as exc:  # every error reaches the operator as a sentence
            if not isinstance(exc, OperationCancelled):
                logger.warning("background operation failed: %s", exc, exc_info=True)
            self.signals.done.emit(None, describe_error(exc))
        else:
            self.signals.done.emit(result, None)


class OperationRunner(QObject):
    """Starts operations on a thread pool and tells the window whether any is running."""

    busy_changed = Signal(bool)
    started = Signal(object)  # Operation
    failure_reported = Signal(object)  # Failure of an operation nobody handled

    def __init__(self, parent: QObject | None = None, *, max_threads: int = 4) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(max_threads)
        self.active: list[Operation] = []

    def run(
        self,
        func: Callable[..., Any],
        *args: Any,
        label: str = "",
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[Failure], None] | None = None,
        **kwargs: Any,
    ) -> Operation:
        """Run ``func(*args, **kwargs)`` off the UI thread; callbacks run on the UI thread."""
        operation = Operation(label, self)
        accepted = _accepted_keywords(func)
        if "cancel" in accepted:
            kwargs["cancel"] = operation.token
            operation.cancellable = True
        if "progress" in accepted:
            kwargs["progress"] = lambda percent=-1, text="": operation._signals.progress.emit(int(percent), str(text))
        if on_success is not None:
            operation.succeeded.connect(on_success)
        if on_failure is not None:
            operation.failed.connect(on_failure)
        else:
            operation.failed.connect(self.failure_reported.emit)
        operation.finished.connect(lambda: self._finished(operation))
        was_busy = bool(self.active)
        self.active.append(operation)
        self.started.emit(operation)
        if not was_busy:
            self.busy_changed.emit(True)
        self.pool.start(_Job(operation, lambda: func(*args, **kwargs)))
        return operation

    @property
    def busy(self) -> bool:
        """Whether an operation is running."""
        return bool(self.active)

    def _finished(self, operation: Operation) -> None:
        if operation in self.active:
            self.active.remove(operation)
        operation.deleteLater()
        if not self.active:
            self.busy_changed.emit(False)

    def shutdown(self, timeout_ms: int = 10_000) -> None:
        """Cancel what can be cancelled and wait for the pool (on quit)."""
        for operation in self.active:
            operation.cancel()
        self.pool.waitForDone(timeout_ms)


def _accepted_keywords(func: Callable[..., Any]) -> set[str]:
    try:
        parameters = inspect.signature(func).parameters
    except (TypeError, ValueError):
        return set()
    return {name for name in ("progress", "cancel") if name in parameters}
