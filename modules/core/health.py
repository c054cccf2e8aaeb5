"""Core's health check: the data folder is writable and the task queue answers."""

from __future__ import annotations

import os
import tempfile

from orion_server.modules.base import HealthResult


def check_core_health() -> HealthResult:
    """Write a scratch file in the data folder and ask the task queue for its size."""
    from orion_server.config import get_settings
    from orion_server.task_queue import huey

    data_dir = get_settings().data_dir
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=data_dir, prefix=".health-")
        os.close(handle)
        os.unlink(name)
    except OSError as exc:
        return HealthResult(False, f"the data folder {data_dir} is not writable: {exc.strerror}")
    try:
        huey.pending_count()
    except Exception as exc:  # any storage error means tasks cannot be queued
        return HealthResult(False, f"the task queue cannot be reached: {exc.__class__.__name__}")
    return HealthResult(True)
