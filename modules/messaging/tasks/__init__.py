"""Background tasks of the Messaging module (imported so huey registers them)."""

from modules.messaging.tasks.outbox import retry_outbox, run_send_outbox, send_outbox

__all__ = ["retry_outbox", "run_send_outbox", "send_outbox"]
