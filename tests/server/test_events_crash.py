"""A process killed between an order's commit and the delivery of its events loses nothing: the
events wait in the outbox and the task consumer's next run sends the confirmation, once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

from sqlalchemy import select

from modules.messaging.models import EmailOutbox, Notification
from modules.orders.models import Order
from orion_server import events
from orion_server.modules.service import module_service
from orion_server.testing.events import undelivered

CHILD = textwrap.dedent(
    """
    import os, signal, sys

    from orion_server import events

    def die(event_ids):
        # The order is committed; the process dies before any listener runs.
        os.kill(os.getpid(), signal.SIGKILL)

    events.deliver_now = die

    from modules.orders.services import order_service
    from orion_server.database import db

    with db.session() as session:
        order_service.place_order(
            session,
            store_id=int(sys.argv[1]),
            lines=[{"sku": "BREAD", "title": "Pain", "quantity": 2, "unit_price_cents": 350, "vat_rate": 3}],
            customer={"email": "marie@example.lu", "name": "Marie Weber", "language": "fr"},
            idempotency_key="crash-1",
        )
    print("still alive")
    """
)


def _confirmations(db) -> list[EmailOutbox]:
    db.commit()
    db.expire_all()
    return list(db.scalars(select(EmailOutbox).where(EmailOutbox.code == "order_confirmation")))


def test_kill_9_after_the_commit_loses_no_confirmation_email(db_session, factories):
    """The child places an order and is killed (SIGKILL) right after the commit; the order is
    there with no e-mail yet; delivering what is due queues its confirmation and the staff
    notice, once, however often the consumer runs."""
    platform = factories.platform(code="lux")
    module_service.enable_module(db_session, platform.id, "orders")
    store = factories.store(platform, code="bakery", name="Boulangerie", default_language="fr")

    child = subprocess.run(
        [sys.executable, "-c", CHILD, str(store.id)], env=os.environ.copy(), capture_output=True, text=True, timeout=120
    )

    assert child.returncode == -signal.SIGKILL, child.stderr[-2000:]
    assert "still alive" not in child.stdout
    db_session.commit()
    order = db_session.scalar(select(Order).where(Order.store_id == store.id))
    assert order is not None and order.number
    assert _confirmations(db_session) == []
    assert {row.name for row in undelivered(db_session)} >= {"OrderPlaced", "StaffNotice"}

    assert events.deliver_due() >= 2
    events.deliver_due()

    [email] = _confirmations(db_session)
    assert email.to_address == "marie@example.lu" and order.number in email.subject
    notices = list(db_session.scalars(select(Notification).where(Notification.kind == "new_order")))
    assert len(notices) == 1
    assert undelivered(db_session) == []
