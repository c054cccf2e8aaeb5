"""The task consumer keeps the logs within their retention: every ten minutes and when it
starts, logs.db and the JSON log files lose what is older than ``logs_max_days`` and, oldest
first, what is beyond ``logs_max_mb`` (see ``orion_server.logs.enforce_retention``)."""

from __future__ import annotations

import logging

from huey import crontab

from orion_server.logs import RetentionReport, enforce_retention
from orion_server.task_queue import huey

logger = logging.getLogger(__name__)


def run_retention() -> RetentionReport:
    """Trim the logs now; says in the log what went."""
    report = enforce_retention()
    if report.records_too_old or report.records_over_size or report.files_removed:
        logger.info("log retention: %d old record(s), %d over the size limit, %d file(s) removed",
                    report.records_too_old, report.records_over_size, len(report.files_removed))
    return report


@huey.periodic_task(crontab(minute="*/10"))
def trim_logs() -> None:
    """Every ten minutes: keep logs.db and the JSON log files within their retention."""
    run_retention()


@huey.on_startup()
def trim_logs_on_start() -> None:
    """When a consumer starts (a cheap DELETE on an index when nothing is due)."""
    try:
        run_retention()
    except Exception:  # the periodic task tries again within ten minutes
        logger.exception("trimming the logs at start-up failed")
