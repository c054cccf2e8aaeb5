"""The orders' limits, their status machine, and the checks of what an order is placed with."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

from modules.orders.exceptions import OrdersInputError, Problem
from modules.orders.models import OrderStatus
from modules.orders.services.totals import LineInput
from orion_server.money import VAT_RATES, rate_from_percent, vat_percent

LOCAL_ZONE = ZoneInfo("Europe/Luxembourg")
"""Zone of the dates staff filter by (the dashboards show Luxembourg time)."""
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


def permission_for(status: str) -> str:
    """The permission needed to move an order to ``status``."""
    return TRANSITION_PERMISSIONS.get(status, "orders.edit")


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
