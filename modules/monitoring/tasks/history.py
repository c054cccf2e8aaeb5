"""huey's hooks that keep every run of a task, in whichever process runs it (the consumer, or
the server itself when tasks run inline), for the background tasks page: when it began, how it
ended (complete, failed, retrying, skipped because revoked or expired, locked), its result or
error. A hook never lets its own failure reach the task."""

from __future__ import annotations

import logging
import time
from typing import Any

from huey import signals
from huey.exceptions import CancelExecution, RetryTask, TaskLockedException

from modules.monitoring.services import task_service
from orion_server.task_queue import huey

logger = logging.getLogger(__name__)

_started: dict[str, float] = {}
"""When each task now running began (by task id)."""

SKIPPED = {
    signals.SIGNAL_REVOKED: "revoked",
    signals.SIGNAL_EXPIRED: "expired",
    signals.SIGNAL_CANCELED: "canceled",
}


def _keep(task: Any, status: str, **details: Any) -> None:
    try:
        task_service.record_run(huey.instance, task, status, **details)
    except Exception:
        logger.warning("could not keep the run of task %s", getattr(task, "id", "?"), exc_info=True)


@huey.signal(signals.SIGNAL_EXECUTING)
def task_began(signal: str, task: Any, *args: Any) -> None:
    _started[task.id] = time.time()


@huey.post_execute()
def task_ended(task: Any, value: Any, exception: BaseException | None) -> None:
    started = _started.pop(task.id, None)
    if exception is None:
        status = "complete"
    elif isinstance(exception, TaskLockedException):
        status = "locked"
    elif isinstance(exception, CancelExecution):
        status = "canceled"
    elif task.retries or isinstance(exception, RetryTask):
        status = "retrying"  # huey puts it back in the queue
    else:
        status = "failed"
    _keep(task, status, started=started, value=value, exception=exception)


@huey.signal(*SKIPPED)
def task_skipped(signal: str, task: Any, *args: Any) -> None:
    if signal == signals.SIGNAL_CANCELED and task.id in _started:
        return  # cancelled while running: post_execute keeps it
    _keep(task, SKIPPED[signal])
