"""Placing an order: its input checked, totals and VAT, the store's gap-free number, and one
order per idempotency key however many calls race."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from modules.contracts.tier_limits import ORDERS_PER_MONTH, limit_of
from modules.orders.announcements import announce_status, over_plan_limit_notice
from modules.orders.models import (
    ORDER_CHANNELS,
    Order,
    OrderLine,
    OrderNumberCounter,
    OrderStatus,
    OrderStatusChange,
)
from modules.orders.services.monthly import orders_in_month
from modules.orders.services.rules import (
    INITIAL_STATUSES,
    MAX_KEY,
    MAX_LINES,
    MAX_UNIT_PRICE,
    S,
    _int,
    _refuse,
    _text,
    _vat_rate,
    clean_address,
    clean_line,
    format_number,
    number_prefix,
)
from modules.orders.services.totals import DEFAULT_SHIPPING_VAT_RATE, Totals, compute_totals
from orion_server.config import SUPPORTED_LANGUAGES
from orion_server.database import begin_write, utcnow
from orion_server.errors import ConflictError, NotFoundError
from orion_server.events import emit
from orion_server.models import Store


@dataclass(frozen=True)
class PlacedOrder:
    """The outcome of ``place_order``: the order, and whether this call created it."""

    order: Order
    created: bool


class Placing:
    """Placing an order: its input checked, totals and VAT, the store's gap-free number, and
    one order per idempotency key however many calls race."""

    def create_order(self, db: Session, **kwargs: Any) -> Order:
        """Place an order (see ``place_order``) and return it, new or found by its key."""
        return self.place_order(db, **kwargs).order

    def place_order(
        self,
        db: Session,
        *,
        store_id: int,
        lines: Iterable[Any],
        customer: Mapping[str, Any] | None = None,
        addresses: Mapping[str, Any] | None = None,
        shipping: Mapping[str, Any] | None = None,
        payment_method: str = "",
        discount_cents: int = 0,
        idempotency_key: str | None = None,
        channel: str = "direct",
        external_id: str | None = None,
        status: str = OrderStatus.PENDING_PAYMENT,
        actor: str = "customer",
        placed_at: datetime | None = None,
    ) -> PlacedOrder:
        """Create an order with the store's next number in one transaction.

        ``lines``: mappings (or objects) with ``sku``, ``title``, ``quantity``,
        ``unit_price_cents`` (VAT included), ``vat_rate`` and optional ``options``.
        ``customer``: ``id`` (optional), ``email``, ``name``, ``phone``, ``language``, ``signed_in``
        (True when the shopper placed it signed in to that account: it shows there at once).
        ``addresses``: ``shipping`` and ``billing`` (billing defaults to shipping), each with
        ``name``, ``company``, ``street``, ``street2``, ``postal_code``, ``city``, ``country``,
        ``phone``. ``shipping``: ``code``, ``label``, ``price_cents``, ``vat_rate`` (17).

        The same ``idempotency_key`` in the same store returns the order placed first, however
        many calls race: ``created`` tells whether this call made it; so does the same
        ``external_id`` of the same ``channel`` (an outside channel's order comes in once).
        """
        data = self._clean_order(
            lines=lines,
            customer=customer or {},
            addresses=addresses or {},
            shipping=shipping or {},
            payment_method=payment_method,
            discount_cents=discount_cents,
            idempotency_key=idempotency_key,
            channel=channel,
            external_id=external_id,
            status=status,
        )
        key = data["idempotency_key"]
        begin_write(db)
        store = db.get(Store, store_id)
        if store is None:
            raise NotFoundError(f"no store {store_id}")
        if key:
            existing = self.find_by_idempotency_key(db, store_id=store_id, key=key)
            if existing is not None:
                db.commit()
                return PlacedOrder(existing, False)
        external = data["external_id"]
        if external:
            existing = self.find_by_external_id(db, store_id=store_id, channel=data["channel"], external_id=external)
            if existing is not None:
                db.commit()
                return PlacedOrder(existing, False)
        now = utcnow()
        try:
            sequence, prefix = self._next_number(db, store)
            order = self._build(data, store_id=store_id, sequence=sequence, prefix=prefix, now=placed_at or now)
            order.history.append(
                OrderStatusChange(from_status=None, to_status=order.status, actor=_text(actor, "actor", 200), created_at=now)
            )
            db.add(order)
            db.flush()
            self._flag_past_plan_limit(db, order, store)
            announce_status(db, order, store, None)
            db.commit()
        except IntegrityError:
            # Another transaction committed the same key first (PostgreSQL): ours rolled back,
            # with its number, so the sequence keeps no gap.
            db.rollback()
            if key:
                existing = self.find_by_idempotency_key(db, store_id=store_id, key=key)
                if existing is not None:
                    return PlacedOrder(existing, False)
            if external:
                existing = self.find_by_external_id(db, store_id=store_id, channel=data["channel"],
                                                    external_id=external)
                if existing is not None:
                    return PlacedOrder(existing, False)
            raise ConflictError("the order could not be saved; try again") from None
        return PlacedOrder(order, True)

    @staticmethod
    def _flag_past_plan_limit(db: Session, order: Order, store: Store) -> None:
        """Accept an order past the plan's monthly order limit but flag it; the first one of
        the month tells the staff, naming the plan that allows more. A shopper's order is never
        refused for the store's plan: the shop would lose the sale and the shopper their basket."""
        limit = limit_of(db, store_id=store.id, key=ORDERS_PER_MONTH)
        if limit is None or limit.limit is None:
            return
        taken = orders_in_month(db, store_id=store.id, moment=order.placed_at)
        if not limit.reached(taken - 1):
            return
        order.over_plan_limit = True
        if taken == limit.limit + 1:
            emit(db, over_plan_limit_notice(order, store, limit, taken))

    def _clean_order(
        self,
        *,
        lines: Iterable[Any],
        customer: Mapping[str, Any],
        addresses: Mapping[str, Any],
        shipping: Mapping[str, Any],
        payment_method: str,
        discount_cents: int,
        idempotency_key: str | None,
        channel: str,
        external_id: str | None,
        status: str,
    ) -> dict[str, Any]:
        raw_lines = list(lines or [])
        if not raw_lines:
            raise _refuse("lines", "lines_required")
        if len(raw_lines) > MAX_LINES:
            raise _refuse("lines", "lines_max", maximum=MAX_LINES)
        cleaned = [clean_line(raw, i) for i, raw in enumerate(raw_lines)]
        if channel not in ORDER_CHANNELS:
            raise _refuse("channel", "one_of", choices=", ".join(ORDER_CHANNELS))
        if status not in INITIAL_STATUSES:
            raise _refuse("status", "initial_status", choices=", ".join(INITIAL_STATUSES))
        email = _text(customer.get("email"), "customer.email", 255).lower()
        if email and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
            raise _refuse("customer.email", "email_invalid")
        language = _text(customer.get("language"), "customer.language", 5) or "fr"
        if language not in SUPPORTED_LANGUAGES:
            raise _refuse("customer.language", "one_of", choices=", ".join(SUPPORTED_LANGUAGES))
        customer_id = customer.get("id")
        if customer_id is not None:
            customer_id = _int(customer_id, "customer.id", 1, 2**31 - 1)
        shipping_address = clean_address(addresses.get("shipping"), "addresses.shipping")
        billing_address = clean_address(addresses.get("billing"), "addresses.billing") or shipping_address
        shipping_cents = _int(shipping.get("price_cents", 0), "shipping.price_cents", 0, MAX_UNIT_PRICE)
        shipping_rate = _vat_rate(shipping.get("vat_rate", DEFAULT_SHIPPING_VAT_RATE), "shipping.vat_rate")
        discount = _int(discount_cents, "discount_cents", 0, MAX_UNIT_PRICE)
        subtotal = sum(line.gross_cents for line in cleaned)
        if discount > subtotal + shipping_cents:
            raise _refuse("discount_cents", "discount_too_large")
        key = _text(idempotency_key, "idempotency_key", MAX_KEY) or None
        totals = compute_totals(
            cleaned, shipping_cents=shipping_cents, shipping_vat_rate=shipping_rate, discount_cents=discount
        )
        return {
            "lines": cleaned,
            "totals": totals,
            "customer_id": customer_id,
            "claimed": customer_id is not None and customer.get("signed_in") is True,
            "customer_email": email,
            "customer_name": _text(customer.get("name"), "customer.name", 200),
            "customer_phone": _text(customer.get("phone"), "customer.phone", 50),
            "customer_language": language,
            "shipping_address": shipping_address,
            "billing_address": billing_address,
            "shipping_method_code": _text(shipping.get("code"), "shipping.code", 50),
            "shipping_method_label": _text(shipping.get("label"), "shipping.label", 200),
            "payment_method_code": _text(payment_method, "payment_method", 50),
            "idempotency_key": key,
            "channel": channel,
            "external_id": _text(external_id, "external_id", 100) or None,
            "status": status,
        }

    def _next_number(self, db: Session, store: Store) -> tuple[int, str]:
        """Move the store's counter on by one inside the caller's transaction.

        The UPDATE locks the counter row (PostgreSQL; SQLite holds the database write lock since
        ``begin_write``), so concurrent orders queue on it and each gets the next number; a
        rollback gives the number back.
        """
        exists = db.scalar(select(OrderNumberCounter.store_id).where(OrderNumberCounter.store_id == store.id))
        if exists is None:
            try:
                with db.begin_nested():
                    db.add(OrderNumberCounter(store_id=store.id, prefix=number_prefix(store.code), last_number=0))
            except IntegrityError:
                pass  # another transaction created it first; the UPDATE below waits for it
        row = db.execute(
            update(OrderNumberCounter)
            .where(OrderNumberCounter.store_id == store.id)
            .values(last_number=OrderNumberCounter.last_number + 1)
            .returning(OrderNumberCounter.last_number, OrderNumberCounter.prefix)
            .execution_options(synchronize_session=False)
        ).one()
        return int(row[0]), str(row[1])

    def _build(self, data: dict[str, Any], *, store_id: int, sequence: int, prefix: str, now: datetime) -> Order:
        totals: Totals = data["totals"]
        order = Order(
            store_id=store_id,
            sequence=sequence,
            number=format_number(prefix, sequence),
            status=data["status"],
            channel=data["channel"],
            external_id=data["external_id"],
            currency="EUR",
            subtotal_cents=totals.subtotal_cents,
            shipping_cents=totals.shipping_cents,
            discount_cents=totals.discount_cents,
            total_cents=totals.total_cents,
            vat_breakdown=totals.vat_breakdown,
            customer_id=data["customer_id"],
            claimed_at=now if data["claimed"] else None,
            customer_email=data["customer_email"],
            customer_name=data["customer_name"],
            customer_phone=data["customer_phone"],
            customer_language=data["customer_language"],
            shipping_address=data["shipping_address"],
            billing_address=data["billing_address"],
            shipping_method_code=data["shipping_method_code"],
            shipping_method_label=data["shipping_method_label"],
            payment_method_code=data["payment_method_code"],
            idempotency_key=data["idempotency_key"],
            placed_at=now,
            paid_at=now if data["status"] != S.PENDING_PAYMENT else None,
        )
        for position, (line, vat) in enumerate(zip(data["lines"], totals.line_vat_cents, strict=True), start=1):
            order.lines.append(
                OrderLine(
                    position=position,
                    sku=line.sku,
                    title=line.title,
                    options=dict(line.options),
                    quantity=line.quantity,
                    unit_price_cents=line.unit_price_cents,
                    vat_rate=line.vat_rate,
                    line_total_cents=line.gross_cents,
                    vat_cents=vat,
                )
            )
        return order
