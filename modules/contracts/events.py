"""Events modules announce and others listen to, without importing each other.

A module announces one with ``orion_server.events.emit(db, event)`` inside the transaction of
the change; a module listens by declaring it in its definition
(``listeners={OrderPaid: ".listeners:on_order_paid"}``). Every event carries the platform and
store it concerns; listeners run only where their module is on, after the commit, at least
once (so they must be idempotent). Fields are JSON values: they are stored in the outbox.

Texts meant for people (staff notices) are worded by the announcing module, in the store's
language, so the listener only delivers them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from orion_server.events import Event


@dataclass(frozen=True, kw_only=True)
class StaffNotice(Event):
    """A notification for a store's staff, already worded (messaging stores it)."""

    store_id: int
    kind: str
    """What it is about, e.g. ``new_order`` or ``low_stock``."""
    title: str
    body: str
    link: str
    """Path of the dashboard page it concerns."""


@dataclass(frozen=True, kw_only=True)
class StockChanged(Event):
    """What can be sold of some SKUs changed in a way a listing shows: units were received,
    adjusted or returned, a SKU sold out, or one that was sold out is back (inventory
    announces it; reservations that leave units on the shelf are not announced)."""

    store_id: int
    skus: list[str] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True)
class OrderPlaced(Event):
    """A new order (announced with the order's creation), with what its confirmation e-mail
    needs (messaging sends it)."""

    store_id: int
    order_id: int
    number: str
    customer_email: str | None = None
    customer_language: str | None = None
    email_variables: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class OrderPaid(Event):
    """An order that became paid (a payment succeeded, or staff marked it paid), with what a
    "payment received" e-mail needs."""

    store_id: int
    order_id: int
    number: str
    customer_email: str | None = None
    customer_language: str | None = None
    email_variables: dict[str, Any] = field(default_factory=dict)
    customer_id: int | None = None
    """The customer's account (None for a guest), for what a customer earns by buying."""
    total_cents: int = 0
    """What the customer paid, shipping included and discounts taken off."""
    shipping_cents: int = 0


@dataclass(frozen=True, kw_only=True)
class OrderStatusChanged(Event):
    """An order moved from one status to another (``old_status`` None: it was created)."""

    store_id: int
    order_id: int
    number: str
    old_status: str | None
    new_status: str
    idempotency_key: str | None = None
    """The key the order was placed with (checkout's reservations are named after it)."""


@dataclass(frozen=True, kw_only=True)
class PaymentStatusChanged(Event):
    """A payment succeeded, failed or was refunded (payments announces it)."""

    store_id: int
    payment_id: int
    reference: str
    """What it pays for, e.g. an order number."""
    gateway: str
    amount_cents: int
    currency: str
    status: str
    """``succeeded``, ``failed`` or ``refunded``."""
    provider_payment_id: str | None = None
    refunded_cents: int = 0
    purpose: str = "order"
    """``order``: a shopper paid the store (``reference`` may be an order number);
    ``subscription``: the store paid the platform (``reference`` is a subscription invoice's
    number), through the platform's own account. Orders acts on the first only, billing on the
    second."""


@dataclass(frozen=True, kw_only=True)
class PasswordResetRequested(Event):
    """A customer asked for a password reset link (messaging e-mails it)."""

    store_id: int
    customer_id: int
    email: str
    customer_name: str
    language: str | None
    link: str
    """The absolute reset link, with its one-time token."""
    expires_hours: int


@dataclass(frozen=True, kw_only=True)
class UnpaidOrderReminder(Event):
    """An order still waits for its payment and will be cancelled soon (messaging e-mails the
    shopper, once per order)."""

    store_id: int
    order_id: int
    number: str
    email: str
    customer_name: str
    language: str
    total_cents: int
    cancel_at: str
    """When it is cancelled unless paid (ISO 8601)."""
    link: str
    """The order's confirmation page: how to pay, or pay again."""


@dataclass(frozen=True, kw_only=True)
class CustomerEmailConfirmationRequested(Event):
    """A link for a customer to confirm an address was made (messaging e-mails it there):
    ``purpose`` ``orders`` shows the guest orders placed with the account's address in the
    account; ``email_change`` moves the account to ``email``, the new address."""

    store_id: int
    customer_id: int
    email: str
    """Where the link goes: the account's address, or the new one for a change."""
    customer_name: str
    language: str | None
    purpose: str
    link: str
    expires_hours: int


@dataclass(frozen=True, kw_only=True)
class CustomerOrdersConfirmed(Event):
    """The owner of a customer's address opened the link sent there: the orders placed with
    that address without signing in, up to ``placed_before`` (ISO 8601), belong in the
    account (orders shows them)."""

    store_id: int
    customer_id: int
    placed_before: str


@dataclass(frozen=True, kw_only=True)
class StaffPasswordResetRequested(Event):
    """A store member or an admin asked for a password reset link (messaging e-mails it).
    ``store_id`` is None for an admin, whose e-mail goes out under the main platform."""

    user_id: int
    email: str
    name: str
    language: str | None
    place_name: str
    """The store (or the installation) the person signs in to."""
    link: str
    """The absolute reset link, with its one-time token."""
    expires_hours: int


@dataclass(frozen=True, kw_only=True)
class StaffInvited(Event):
    """Someone was invited to join a store's team (messaging e-mails the link, in the
    invitee's language)."""

    email: str
    name: str
    """The invitee's name as the inviter typed it (may be empty)."""
    language: str
    store_name: str
    inviter_name: str
    link: str
    """The absolute invitation link, with its one-time token."""
    expires_hours: int


@dataclass(frozen=True, kw_only=True)
class SubscriptionNotice(Event):
    """A step of a store's subscription its owners are e-mailed about (billing announces it,
    messaging sends the ``subscription_<step>`` e-mail to each address, once per ``key``).

    ``step`` is ``invoice_issued``, ``payment_overdue``, ``read_only``, ``restored`` or
    ``payment_received``; ``variables`` are the template's (store name, invoice number and
    total, due date, read-only date, link to the plan page)."""

    key: str
    """Unique per notice (``invoice_issued:LUX-000001``): a second delivery sends nothing."""
    step: str
    to: list[str] = field(default_factory=list)
    language: str | None = None
    variables: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class StorefrontContentChanged(Event):
    """What a storefront lists changed: a product (its pictures too) or a category (catalog), a
    content page (cms) was added, changed, published, taken offline or deleted. ``store_id``
    None: a platform's page, shown in every store of the platform. The sitemaps are made
    again; with ``source`` ``catalog``, the marketplace's feed too."""

    source: str
    """The announcing module's code."""
