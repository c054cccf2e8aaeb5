"""What Messaging provides to other modules: the backlog of its e-mail outbox."""

from __future__ import annotations

from typing import Any

from modules.contracts.backlogs import Backlog
from modules.messaging.services.email_service import email_service


class EmailBacklog:
    """``BacklogReporter``: e-mails waiting to be sent on a platform, and those given up on."""

    def backlog(self, db: Any, platform_id: int) -> Backlog:
        return email_service.outbox_backlog(db, platform_id=platform_id)
