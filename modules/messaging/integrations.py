"""Messaging's answers to hooks other core modules declare (never an optional module here).

The customers module declares ``password_reset_senders``: messaging appends a sender that
queues the ``password_reset`` email in the customer's language. Optional modules (orders,
inventory) call ``email_service`` and ``notification_service`` themselves, as they may require
messaging while messaging may not import them.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from modules.messaging.services import email_service
from orion_server.database import session_scope
from orion_server.models import Store

logger = logging.getLogger(__name__)


def send_password_reset(customer: Any, link: str) -> None:
    """Queue the reset email of ``customer`` (its own session; the caller has committed)."""
    from modules.customers.services.customer_service import RESET_LIFETIME

    with session_scope() as db:
        store = db.get(Store, customer.store_id)
        if store is None:
            return
        name = " ".join(p for p in (customer.first_name, customer.last_name) if p) or customer.email
        email_service.queue(
            db,
            platform_id=store.platform_id,
            store_id=store.id,
            code="password_reset",
            to=customer.email,
            language=customer.preferred_language,
            variables={
                "customer_name": name,
                "store_name": store.name,
                "reset_url": link,
                "expires_hours": int(RESET_LIFETIME.total_seconds() // 3600) or 1,
            },
            # one email per link: a retried request never sends the same link twice
            dedupe_key="password_reset:" + hashlib.sha256(link.encode()).hexdigest()[:40],
        )


def register_hooks() -> None:
    """Plug messaging into the hooks of the modules it requires (idempotent)."""
    from modules.customers.protocols import password_reset_senders

    if send_password_reset not in password_reset_senders:
        password_reset_senders.append(send_password_reset)
