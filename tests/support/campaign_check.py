"""The invariants of the reliability campaign, checked inside an installation's environment.

Run as ``python -m tests.support.campaign_check ANSWERED.json [--drain]`` with the
installation's ``ORION_*`` variables (as ``tests.support.cli.Installation.env()`` gives them).
``ANSWERED.json`` lists the orders whose placement the load answered (201 or 200): ``[{"store":
code, "number": order number}]``. Prints one JSON object:

- ``integrity``: ``PRAGMA integrity_check`` of a SQLite database (``"ok"``), or ``"n/a"`` on
  PostgreSQL, whose pages carry their own checksums and WAL replay;
- ``orders_checked`` and ``problems``: every answered order exists with exactly one payment of
  its total, its stock reservation (held, the order's quantities) and one confirmation e-mail in
  the outbox, sent (``confirmations``: its outbox id per order, for the SMTP side of the check);
- the stock ledger: every item's ``on_hand`` equals the sum of its movements, and ``reserved``
  the sum of its held reservations; every held reservation belongs to an order or is an orphan
  of a placement that died before its order was written (``orphan_reservations``, given back
  when their hold runs out);
- counts of orders, payments and e-mails in the database.

``--drain`` first does what the task consumer would do once the campaign's claims are stale:
delivers the events left behind by killed processes and sends every queued e-mail.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, text, update


def drain() -> dict[str, int]:
    """Deliver waiting events and send every queued e-mail, as if the claims of killed
    workers had run out."""
    from modules.messaging.models import EmailOutbox
    from modules.messaging.services import email_service
    from modules.messaging.services.email_service import CLAIM_TIMEOUT
    from orion_server import events
    from orion_server.database import session_scope, utcnow
    from orion_server.models.events import EventRecord

    with session_scope() as db:  # every process is stopped: every claim they left is stale
        db.execute(update(EventRecord).where(EventRecord.delivered_at.is_(None)).values(claimed_until=None))
    delivered = sent = 0
    for _round in range(50):
        done = events.deliver_due()
        delivered += done
        with session_scope() as db:
            report = email_service.send_due(db, now=utcnow() + CLAIM_TIMEOUT + timedelta(seconds=1))
            sent += report.sent
            waiting = db.scalar(select(func.count()).select_from(EmailOutbox)
                                .where(EmailOutbox.status.in_(("queued", "sending"))))
        if not done and not report.sent and not waiting:
            break
    return {"events_delivered": delivered, "emails_sent": sent}


def integrity() -> str:
    from orion_server.database import db

    engine = db.engine
    if engine.dialect.name != "sqlite":
        return "n/a"
    with engine.connect() as connection:
        rows = connection.execute(text("PRAGMA integrity_check")).scalars().all()
        foreign = connection.execute(text("PRAGMA foreign_key_check")).all()
    result = "; ".join(rows)
    if foreign:
        result += f"; {len(foreign)} foreign key violations"
    return result


def check(answered: list[dict[str, str]]) -> dict[str, Any]:
    from modules.checkout.services.checkout_service import KEY_PREFIX
    from modules.inventory.models import StockItem, StockMovement, StockReservation
    from modules.messaging.models import EmailOutbox
    from modules.orders.models import Order
    from modules.payments.models import Payment
    from orion_server.database import session_scope
    from orion_server.models import Store

    problems: list[str] = []
    confirmations: dict[str, int] = {}
    with session_scope() as db:
        stores = {s.code: s.id for s in db.scalars(select(Store))}
        orders = {(o.store_id, o.number): o for o in db.scalars(select(Order))}
        payments: dict[tuple[int, str], list[Payment]] = defaultdict(list)
        for payment in db.scalars(select(Payment)):
            payments[(payment.store_id, payment.reference)].append(payment)
        reservations: dict[str, list[StockReservation]] = defaultdict(list)
        for reservation in db.scalars(select(StockReservation)):
            reservations[reservation.reference].append(reservation)
        items = {item.id: item for item in db.scalars(select(StockItem))}
        outbox = {row.dedupe_key: row for row in db.scalars(
            select(EmailOutbox).where(EmailOutbox.code == "order_confirmation"))}

        seen: set[tuple[int, str]] = set()
        for answer in answered:
            key = (stores.get(answer["store"], -1), answer["number"])
            if key in seen:
                continue
            seen.add(key)
            order = orders.get(key)
            if order is None:
                problems.append(f"order {answer['number']} was answered but is not in the database")
                continue
            paid = payments.get(key, [])
            if len(paid) != 1 or paid[0].amount_cents != order.total_cents:
                problems.append(f"order {order.number}: {len(paid)} payments "
                                f"({[p.amount_cents for p in paid]} for a total of {order.total_cents})")
            held = reservations.get(order.idempotency_key or "", [])
            wanted = Counter()
            for line in order.lines:
                wanted[line.sku] += line.quantity
            got = Counter()
            for reservation in held:
                got[items[reservation.item_id].sku] += reservation.quantity
            if not held or any(r.status != "held" for r in held) or got != wanted:
                problems.append(f"order {order.number}: reservation {dict(got)} "
                                f"({sorted({r.status for r in held})}) for lines {dict(wanted)}")
            email = outbox.get(f"order:{order.id}:confirmation")
            if email is None or email.status != "sent":
                problems.append(f"order {order.number}: confirmation e-mail "
                                f"{'missing' if email is None else email.status}")
            else:
                confirmations[order.number] = email.id

        ledger = dict(db.execute(select(StockMovement.item_id, func.sum(StockMovement.quantity))
                                 .group_by(StockMovement.item_id)).all())
        held_by_item: Counter[int] = Counter()
        for group in reservations.values():
            for reservation in group:
                if reservation.status == "held":
                    held_by_item[reservation.item_id] += reservation.quantity
        for item in items.values():
            if item.is_unlimited:
                continue
            if item.on_hand != (ledger.get(item.id) or 0):
                problems.append(f"stock {item.sku}: on hand {item.on_hand}, ledger {ledger.get(item.id) or 0}")
            if item.reserved != held_by_item[item.id]:
                problems.append(f"stock {item.sku}: reserved {item.reserved}, held {held_by_item[item.id]}")
        order_keys = {o.idempotency_key for o in orders.values() if o.idempotency_key}
        orphans = [ref for ref, group in reservations.items()
                   if ref.startswith(KEY_PREFIX) and ref not in order_keys
                   and any(r.status == "held" for r in group)]
        orphans_without_expiry = [ref for ref in orphans
                                  if any(r.expires_at is None for r in reservations[ref])]
        if orphans_without_expiry:
            problems.append(f"{len(orphans_without_expiry)} reservations without an order hold stock forever")
        emails = Counter(row.status for row in outbox.values())
    return {
        "orders_checked": len(seen),
        "orders_in_database": len(orders),
        "payments_in_database": sum(len(p) for p in payments.values()),
        "confirmation_emails": dict(emails),
        "orphan_reservations": len(orphans),
        "problems": problems,
        "confirmations": confirmations,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("answered", type=Path)
    parser.add_argument("--drain", action="store_true")
    args = parser.parse_args(argv)
    answered = json.loads(args.answered.read_text())
    result: dict[str, Any] = {"integrity": integrity()}
    if args.drain:
        result.update(drain())
    result.update(check(answered))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
