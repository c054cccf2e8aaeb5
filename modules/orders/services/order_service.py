"""Orders: placing them (totals, VAT, the gap-free number, idempotency), their status machine,
staff notes, listings for the dashboard and the customer, and statistics for customer segments.

Money is integer cents, VAT included; rates are kept in whole percent (17), as the orders'
API takes them and their rows store them. VAT is worked out per line with orion_server.money,
then summed per rate:

* a line's gross is ``unit_price_cents * quantity``; its net is ``gross * 100 / (100 + rate)``
  rounded half up to a whole cent, and its VAT is ``gross - net`` (so net + VAT always equals the
  gross the shopper pays, and rounding happens once per line, never on the sum);
* shipping is one more "line" at its own rate (17 % unless given);
* a discount is split over the rates in proportion to their gross (the cent left over goes to
  the rate with the largest gross) and each part's net and VAT are taken off that rate the same
  way.

The sum of the breakdown's gross amounts is always the order's total.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from modules.orders.announcements import announce_status
from modules.orders.exceptions import OrdersInputError, Problem, TransitionNotAllowedError
from modules.orders.models import (
    ORDER_CHANNELS,
    Order,
    OrderLine,
    OrderNote,
    OrderNumberCounter,
    OrderStatus,
    OrderStatusChange,
)
from orion_server.config import SUPPORTED_LANGUAGES, get_settings
from orion_server.database import begin_write, utcnow
from orion_server.errors import ConflictError, NotFoundError
from orion_server.models import Store
from orion_server.money import (
    DEFAULT_VAT_RATE,
    VAT_RATES,
    percent_from_rate,
    rate_from_percent,
    split_vat,
    vat_of,
    vat_percent,
    vat_total,
)
from orion_server.pagination import Page

logger = logging.getLogger(__name__)

LOCAL_ZONE = ZoneInfo("Europe/Luxembourg")
"""Zone of the dates staff filter by (the dashboards show Luxembourg time)."""
DEFAULT_SHIPPING_VAT_RATE = percent_from_rate(DEFAULT_VAT_RATE)
"""In whole percent, as orders keep rates."""
MAX_LINES = 200
MAX_QUANTITY = 10_000
MAX_UNIT_PRICE = 10_000_000_00
MAX_NOTE = 5_000
MAX_KEY = 100
PER_PAGE = 25
ADDRESS_FIELDS = ("name", "company", "street", "street2", "postal_code", "city", "country", "phone")

S = OrderStatus
TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.PENDING_PAYMENT: (S.PAID, S.CANCELLED),
    S.PAID: (S.PROCESSING, S.CANCELLED, S.REFUNDED),
    S.PROCESSING: (S.SHIPPED, S.CANCELLED, S.REFUNDED),
    S.SHIPPED: (S.DELIVERED, S.REFUNDED),
    S.DELIVERED: (S.REFUNDED,),
    S.CANCELLED: (),
    S.REFUNDED: (),
}
"""Which status may follow which; anything else is refused."""
INITIAL_STATUSES = (S.PENDING_PAYMENT, S.PAID, S.PROCESSING)
"""Statuses an order may be created in (a marketplace order arrives already paid)."""
TIMESTAMPS = {
    S.PAID: "paid_at",
    S.SHIPPED: "shipped_at",
    S.DELIVERED: "delivered_at",
    S.CANCELLED: "cancelled_at",
    S.REFUNDED: "refunded_at",
}
TRANSITION_PERMISSIONS = {S.CANCELLED: "orders.cancel", S.REFUNDED: "orders.refund"}
"""Permission a staff member needs to move an order to a status; every other move needs
``orders.edit``."""
NOT_SPENT = (S.CANCELLED, S.REFUNDED)
"""Orders that count neither as orders nor as money spent in customer statistics."""

# -- money ------------------------------------------------------------------------------------


def permission_for(status: str) -> str:
    """The permission needed to move an order to ``status``."""
    return TRANSITION_PERMISSIONS.get(status, "orders.edit")


@dataclass(frozen=True)
class LineInput:
    """A line to order: what the shopper saw, VAT included."""

    sku: str
    title: str
    quantity: int
    unit_price_cents: int
    vat_rate: int
    options: dict[str, str] = field(default_factory=dict)

    @property
    def gross_cents(self) -> int:
        return self.unit_price_cents * self.quantity


@dataclass(frozen=True)
class Totals:
    """What an order costs: cents, VAT included, and the VAT per rate."""

    subtotal_cents: int
    shipping_cents: int
    discount_cents: int
    total_cents: int
    vat_breakdown: dict[str, dict[str, int]]
    line_vat_cents: tuple[int, ...]

    @property
    def vat_cents(self) -> int:
        """All the VAT the total contains."""
        return vat_total(self.vat_breakdown)


def compute_totals(
    lines: Iterable[LineInput],
    *,
    shipping_cents: int = 0,
    shipping_vat_rate: int = DEFAULT_SHIPPING_VAT_RATE,
    discount_cents: int = 0,
) -> Totals:
    """Subtotal, total and VAT breakdown of checked lines (see the module's docstring)."""
    lines = list(lines)
    amounts = [(rate_from_percent(line.vat_rate), line.gross_cents) for line in lines]
    if shipping_cents:
        amounts.append((rate_from_percent(shipping_vat_rate), shipping_cents))
    rows = split_vat(amounts, discount_cents=discount_cents)
    subtotal = sum(line.gross_cents for line in lines)
    return Totals(
        subtotal_cents=subtotal,
        shipping_cents=shipping_cents,
        discount_cents=discount_cents,
        total_cents=subtotal + shipping_cents - discount_cents,
        vat_breakdown={vat_percent(rate): dict(row) for rate, row in rows.items()},
        line_vat_cents=tuple(vat_of(gross, rate=rate) for rate, gross in amounts[: len(lines)]),
    )


# -- input ------------------------------------------------------------------------------------


def _refuse(field_name: str, key: str, **params: Any) -> OrdersInputError:
    """The error of one bad field: ``key`` under ``orders.errors.``."""
    return OrdersInputError([Problem(field_name, f"orders.errors.{key}", params)])


def _int(value: Any, field_name: str, minimum: int, maximum: int) -> int:
    if isinstance(value, bool):
        raise _refuse(field_name, "whole_number")
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise _refuse(field_name, "whole_number") from None
    if number != value and not isinstance(value, str):
        raise _refuse(field_name, "whole_number")
    if not minimum <= number <= maximum:
        raise _refuse(field_name, "between", minimum=minimum, maximum=maximum)
    return number


def _text(
    value: Any,
    field_name: str,
    maximum: int,
    *,
    required: bool = False,
    required_key: str = "required",
    too_long_key: str = "too_long",
) -> str:
    text = "" if value is None else str(value).strip()
    if required and not text:
        raise _refuse(field_name, required_key)
    if len(text) > maximum:
        raise _refuse(field_name, too_long_key, maximum=maximum)
    return text


def _get(source: Any, name: str, default: Any = None) -> Any:
    if isinstance(source, Mapping):
        return source.get(name, default)
    return getattr(source, name, default)


def _vat_rate(value: Any, field_name: str) -> int:
    """A Luxembourg VAT rate in whole percent (``17``), or OrdersInputError naming ``field_name``."""
    rate = _int(value, field_name, 0, 100)
    if rate_from_percent(rate) not in VAT_RATES:
        raise _refuse(field_name, "one_of", choices=", ".join(vat_percent(r) for r in VAT_RATES))
    return rate


def clean_line(raw: Any, index: int) -> LineInput:
    """A ``LineInput`` from a mapping or object, or OrdersInputError naming ``lines.<i>.<field>``."""
    prefix = f"lines.{index}"
    rate = _vat_rate(_get(raw, "vat_rate"), f"{prefix}.vat_rate")
    options = _get(raw, "options") or {}
    if not isinstance(options, Mapping):
        raise _refuse(f"{prefix}.options", "options_object")
    return LineInput(
        sku=_text(_get(raw, "sku"), f"{prefix}.sku", 100, required=True),
        title=_text(_get(raw, "title"), f"{prefix}.title", 300, required=True),
        quantity=_int(_get(raw, "quantity"), f"{prefix}.quantity", 1, MAX_QUANTITY),
        unit_price_cents=_int(_get(raw, "unit_price_cents"), f"{prefix}.unit_price_cents", 0, MAX_UNIT_PRICE),
        vat_rate=rate,
        options={str(k)[:50]: str(v)[:100] for k, v in options.items()},
    )


def clean_address(raw: Any, field_name: str) -> dict[str, str] | None:
    """The known address fields, trimmed; None when no address was given."""
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        raise _refuse(field_name, "address_object")
    address = {name: _text(raw.get(name), f"{field_name}.{name}", 200) for name in ADDRESS_FIELDS}
    address = {name: value for name, value in address.items() if value}
    return address or None


def number_prefix(store_code: str) -> str:
    """Letters that start a store's order numbers: initials of a hyphenated code
    (``boulangerie-dupont`` -> ``BD``), else its first three letters (``bakery`` -> ``BAK``)."""
    parts = [p for p in re.split(r"[^A-Za-z0-9]+", store_code) if p]
    if len(parts) >= 2:
        prefix = "".join(p[0] for p in parts[:4])
    else:
        prefix = (parts[0] if parts else "")[:3]
    return prefix.upper() or "ORD"


def format_number(prefix: str, sequence: int) -> str:
    """``BD`` and 123 -> ``BD-000123``."""
    return f"{prefix}-{sequence:06d}"


def _local_day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=LOCAL_ZONE)


# -- results ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlacedOrder:
    """The outcome of ``place_order``: the order, and whether this call created it."""

    order: Order
    created: bool


class OrderService:
    """Creates orders and moves them through their statuses; every query is scoped to a store."""

    # -- reading ------------------------------------------------------------------------------

    def get_order(self, db: Session, *, store_id: int, order_id: int) -> Order:
        """An order of the store; other stores' orders look like they do not exist."""
        order = db.get(Order, order_id)
        if order is None or order.store_id != store_id:
            raise NotFoundError(f"no order {order_id}")
        return order

    def get_by_number(self, db: Session, *, store_id: int, number: str) -> Order:
        """The store's order with this number (``BD-000123``)."""
        order = db.scalar(select(Order).where(Order.store_id == store_id, Order.number == number))
        if order is None:
            raise NotFoundError(f"no order {number}")
        return order

    # -- the shopper's status page ----------------------------------------------------------

    @staticmethod
    def status_token(order: Order) -> str:
        """The secret that opens ``order``'s status page without an account (in the link of the
        confirmation page and e-mail): an HMAC of the order under the installation's key."""
        message = f"order-status:{order.store_id}:{order.id}:{order.number}".encode()
        digest = hmac.new(get_settings().secret_key.encode(), message, hashlib.sha256).hexdigest()
        return digest[:40]

    def check_status_token(self, db: Session, *, store_id: int, number: str, token: str | None) -> Order:
        """The store's order ``number`` when ``token`` is its status token; NotFoundError
        otherwise (a wrong token looks like a missing order)."""
        order = db.scalar(select(Order).where(Order.store_id == store_id, Order.number == number))
        if order is None or not token or not hmac.compare_digest(self.status_token(order), str(token)):
            raise NotFoundError(f"no order {number}")
        return order

    def status_path(self, order: Order) -> str:
        """The status page of ``order``, relative to its storefront's root (``orders/BD-000001/status?token=…``)."""
        return f"orders/{order.number}/status?token={self.status_token(order)}"

    def find_by_idempotency_key(self, db: Session, *, store_id: int, key: str) -> Order | None:
        """The order placed earlier with this key, if any."""
        return db.scalar(
            select(Order).where(Order.store_id == store_id, Order.idempotency_key == key)
        )

    def list_orders(
        self,
        db: Session,
        *,
        store_id: int,
        status: str | None = None,
        date_from: date | None = None,
        date_to: date | None = None,
        customer: str = "",
        q: str = "",
        page: int = 1,
        per_page: int = PER_PAGE,
    ) -> Page:
        """The store's orders, newest first. ``date_from``/``date_to`` are days in Luxembourg time
        (both included); ``customer`` matches part of the e-mail or name, ``q`` part of the number."""
        if status and status not in OrderStatus.ALL:
            raise _refuse("status", "status_filter", status=repr(status))
        if date_from and date_to and date_from > date_to:
            raise _refuse("date_from", "date_range")
        page = max(1, page)
        per_page = max(1, min(per_page, 100))
        conditions = [Order.store_id == store_id]
        if status:
            conditions.append(Order.status == status)
        # The calendar's first and last days cannot be shifted to UTC (OverflowError, a 500);
        # a bound there excludes nothing, so it is left out.
        if date_from and date_from > date.min:
            conditions.append(Order.placed_at >= _local_day_start(date_from))
        if date_to and date_to < date.max:
            conditions.append(Order.placed_at < _local_day_start(date_to + timedelta(days=1)))
        if customer.strip():
            pattern = _like(customer)
            conditions.append(
                or_(
                    Order.customer_email.ilike(pattern, escape="\\"),
                    Order.customer_name.ilike(pattern, escape="\\"),
                )
            )
        if q.strip():
            pattern = _like(q)
            conditions.append(
                or_(Order.number.ilike(pattern, escape="\\"), Order.external_id.ilike(pattern, escape="\\"))
            )
        total = db.scalar(select(func.count(Order.id)).where(*conditions)) or 0
        items = list(
            db.scalars(
                select(Order)
                .where(*conditions)
                .order_by(Order.placed_at.desc(), Order.id.desc())
                .offset((page - 1) * per_page)
                .limit(per_page)
            )
        )
        return Page(items=items, total=total, page=page, per_page=per_page)

    def list_customer_orders(
        self, db: Session, *, store_id: int, customer_id: int, page: int = 1, per_page: int = PER_PAGE
    ) -> Page:
        """A customer's order history in one store, newest first."""
        page = max(1, page)
        per_page = max(1, min(per_page, 100))
        conditions = [Order.store_id == store_id, Order.customer_id == customer_id]
        total = db.scalar(select(func.count(Order.id)).where(*conditions)) or 0
        items = list(
            db.scalars(
                select(Order)
                .where(*conditions)
                .order_by(Order.placed_at.desc(), Order.id.desc())
                .offset((page - 1) * per_page)
                .limit(per_page)
            )
        )
        return Page(items=items, total=total, page=page, per_page=per_page)

    def get_customer_order(self, db: Session, *, store_id: int, customer_id: int, number: str) -> Order:
        """One order of the customer's history; other customers' orders do not exist for them."""
        order = self.get_by_number(db, store_id=store_id, number=number)
        if order.customer_id != customer_id:
            raise NotFoundError(f"no order {number}")
        return order

    def allowed_transitions(self, order: Order) -> tuple[str, ...]:
        """Statuses the order may move to next."""
        return TRANSITIONS.get(order.status, ())

    def history(self, db: Session, *, order: Order) -> list[OrderStatusChange]:
        """The order's status changes, oldest first."""
        return list(
            db.scalars(
                select(OrderStatusChange)
                .where(OrderStatusChange.order_id == order.id)
                .order_by(OrderStatusChange.id)
            )
        )

    def notes(self, db: Session, *, order: Order) -> list[OrderNote]:
        """The staff notes of the order, newest first."""
        return list(
            db.scalars(select(OrderNote).where(OrderNote.order_id == order.id).order_by(OrderNote.id.desc()))
        )

    def order_stats(
        self, db: Session, *, store_id: int, customer_ids: Iterable[int]
    ) -> dict[int, tuple[int, int, datetime | None]]:
        """``{customer_id: (order_count, total_spent_cents, last_order_at)}`` for the customers of
        a store; cancelled and refunded orders do not count. Customers without orders are left out."""
        ids = sorted({int(i) for i in customer_ids})
        if not ids:
            return {}
        rows = db.execute(
            select(
                Order.customer_id,
                func.count(Order.id),
                func.coalesce(func.sum(Order.total_cents), 0),
                func.max(Order.placed_at),
            )
            .where(
                Order.store_id == store_id,
                Order.customer_id.in_(ids),
                Order.status.not_in(NOT_SPENT),
            )
            .group_by(Order.customer_id)
        )
        return {cid: (int(count), int(spent), last) for cid, count, spent, last in rows}

    # -- placing ------------------------------------------------------------------------------

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
        ``customer``: ``id`` (optional), ``email``, ``name``, ``phone``, ``language``.
        ``addresses``: ``shipping`` and ``billing`` (billing defaults to shipping), each with
        ``name``, ``company``, ``street``, ``street2``, ``postal_code``, ``city``, ``country``,
        ``phone``. ``shipping``: ``code``, ``label``, ``price_cents``, ``vat_rate`` (17).

        The same ``idempotency_key`` in the same store returns the order placed first, however
        many calls race: ``created`` tells whether this call made it.
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
        now = utcnow()
        try:
            sequence, prefix = self._next_number(db, store)
            order = self._build(data, store_id=store_id, sequence=sequence, prefix=prefix, now=placed_at or now)
            order.history.append(
                OrderStatusChange(from_status=None, to_status=order.status, actor=_text(actor, "actor", 200), created_at=now)
            )
            db.add(order)
            db.flush()
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
            raise ConflictError("the order could not be saved; try again") from None
        return PlacedOrder(order, True)

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

    # -- changing -----------------------------------------------------------------------------

    def change_status(
        self,
        db: Session,
        *,
        order_id: int,
        store_id: int,
        to: str,
        actor: str = "",
        actor_user_id: int | None = None,
        note: str = "",
        commit: bool = True,
    ) -> Order:
        """Move the order to ``to`` when the status machine allows it, with a history row;
        refused moves raise TransitionNotAllowedError (a ValidationError on ``to``), an unknown
        status or a too long note an OrdersInputError.

        The change is announced (``OrderStatusChanged``, and ``OrderPaid`` for paid) in the same
        transaction. ``commit=False`` only flushes, for a caller that owns the transaction (an
        event listener, committed by the dispatcher with its delivery)."""
        if to not in OrderStatus.ALL:
            raise _refuse("to", "status_unknown")
        note = _text(note, "note", MAX_NOTE, too_long_key="note_too_long")
        begin_write(db)
        order = db.scalar(
            select(Order)
            .where(Order.id == order_id, Order.store_id == store_id)
            .with_for_update()
            .execution_options(populate_existing=True)  # the row as locked, not as last seen
        )
        if order is None:
            raise NotFoundError(f"no order {order_id}")
        old = order.status
        if to not in TRANSITIONS.get(old, ()):
            raise TransitionNotAllowedError(old, to)
        now = utcnow()
        order.status = to
        stamp = TIMESTAMPS.get(to)
        if stamp and getattr(order, stamp) is None:
            setattr(order, stamp, now)
        order.updated_at = now
        db.add(
            OrderStatusChange(
                order_id=order.id,
                from_status=old,
                to_status=to,
                actor=_text(actor, "actor", 200),
                actor_user_id=actor_user_id,
                note=note,
                created_at=now,
            )
        )
        db.flush()
        store = db.get(Store, store_id)
        assert store is not None
        announce_status(db, order, store, old)
        if commit:
            db.commit()
        return order

    def add_note(
        self,
        db: Session,
        *,
        order_id: int,
        store_id: int,
        body: str,
        author: str = "",
        author_user_id: int | None = None,
    ) -> OrderNote:
        """Keep a staff note on the order; OrdersInputError on ``body`` when empty or too long."""
        body = _text(body, "body", MAX_NOTE, required=True, required_key="note_required",
                     too_long_key="note_too_long")
        begin_write(db)
        order = self.get_order(db, store_id=store_id, order_id=order_id)
        note = OrderNote(
            order_id=order.id,
            author=_text(author, "author", 200),
            author_user_id=author_user_id,
            body=body,
            created_at=utcnow(),
        )
        db.add(note)
        db.commit()
        return note


def _like(text: str) -> str:
    escaped = text.strip()[:100].replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


order_service = OrderService()


def order_stats(db: Session, store_id: int, customer_ids: Iterable[int]) -> dict[int, tuple[int, int, datetime | None]]:
    """The customers' segment statistics (see ``OrderService.order_stats``), as a plain function
    for the customers module to wire in."""
    return order_service.order_stats(db, store_id=store_id, customer_ids=customer_ids)
