"""Events optional modules announce and core modules act on, without importing each other.

Orders announces a placed order and a paid one, inventory a low stock level; messaging (core) listens and
sends the e-mails and staff notifications. The texts for staff are written by the module that
owns them, in the store's language, so the listener only delivers them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class StaffNotice:
    """A notification for a store's staff, already worded."""

    store_id: int
    kind: str
    title: str
    body: str
    link: str


@dataclass(frozen=True)
class OrderPlaced:
    """A new order, with what a confirmation e-mail needs."""

    order_id: int
    number: str
    store_id: int
    platform_id: int
    customer_email: str | None
    customer_language: str | None
    email_variables: dict[str, Any] = field(default_factory=dict)
    staff_notice: StaffNotice | None = None


OrderPlacedListener = Callable[[Any, OrderPlaced], None]
"""``(db, event)``: called after the order is committed; each call is its own unit of work."""

order_placed_listeners: list[OrderPlacedListener] = []
"""Listeners of placed orders (messaging registers one at start-up)."""


@dataclass(frozen=True)
class OrderPaid:
    """An order that became paid (a payment succeeded, or staff marked it paid), with what a
    "payment received" e-mail needs."""

    order_id: int
    number: str
    store_id: int
    platform_id: int
    customer_email: str | None
    customer_language: str | None
    email_variables: dict[str, Any] = field(default_factory=dict)


OrderPaidListener = Callable[[Any, OrderPaid], None]
"""``(db, event)``: called after the order's move to paid is committed; each call is its own
unit of work. An order becomes paid once, but a listener must still be idempotent (the event
may be announced again after a crash)."""

order_paid_listeners: list[OrderPaidListener] = []
"""Listeners of paid orders (messaging registers one at start-up)."""

StaffNoticeListener = Callable[[StaffNotice], None]
"""``(notice)``: deliver a staff notice (uses its own database session)."""

staff_notice_listeners: list[StaffNoticeListener] = []
"""Listeners of staff notices such as low stock (messaging registers one at start-up)."""
