"""Sending the email outbox: right after an email is queued, and every minute for retries."""

from __future__ import annotations

import logging
from datetime import datetime

from huey import crontab

from modules.messaging.services.email_service import SendReport, email_service
from orion_server.database import session_scope
from orion_server.task_queue import huey

logger = logging.getLogger(__name__)


def run_send_outbox(now: datetime | None = None) -> SendReport:
    """Send the due emails in a session of its own; never raises (the next run retries)."""
    try:
        with session_scope() as db:
            report = email_service.send_due(db, now=now)
    except Exception:
        logger.exception("sending the email outbox failed; it will be retried")
        return SendReport()
    if report.sent or report.retried or report.failed:
        logger.info(
            "email outbox: %d sent, %d to retry, %d failed", report.sent, report.retried, report.failed
        )
    return report


@huey.task()
def send_outbox() -> SendReport:
    """Send what is due now (enqueued whenever an email is queued)."""
    return run_send_outbox()


@huey.periodic_task(crontab(minute="*"))
def retry_outbox() -> SendReport:
    """Every minute: send the emails whose next attempt has come."""
    return run_send_outbox()
