"""Requests and responses of the store orders API (``/api/v1/store/{store_code}/orders``).

The schemas check shapes and sizes; the status machine and every other rule belong to the
order service, so the dashboard and the API refuse the same things.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

StatusName = Literal[
    "pending_payment", "paid", "processing", "shipped", "delivered", "cancelled", "refunded"
]


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class StatusChange(_Request):
    """Move an order to another status."""

    to: StatusName
    note: Annotated[str, Field(max_length=5000)] = ""


class NoteCreate(_Request):
    """A staff note on an order (``text``: the framework's 422 handler drops location parts named
    ``body``, so a field of that name would be reported without its name)."""

    text: Annotated[str, Field(min_length=1, max_length=5000)]


class OrderLineOut(BaseModel):
    """A line as it was ordered; prices in cents, VAT included."""

    model_config = ConfigDict(from_attributes=True)

    sku: str
    title: str
    options: dict[str, Any]
    quantity: int
    unit_price_cents: int
    vat_rate: int
    line_total_cents: int
    vat_cents: int


class VatRowOut(BaseModel):
    """The amounts taxed at one rate."""

    rate: int
    net_cents: int
    vat_cents: int
    gross_cents: int


class StatusChangeOut(BaseModel):
    """One step of the order's history."""

    model_config = ConfigDict(from_attributes=True)

    from_status: str | None
    to_status: str
    actor: str
    note: str
    created_at: datetime


class NoteOut(BaseModel):
    """A staff note."""

    id: int
    author: str
    text: str
    created_at: datetime


class OrderSummaryOut(BaseModel):
    """An order as listings show it."""

    model_config = ConfigDict(from_attributes=True)

    number: str
    status: str
    channel: str
    external_id: str | None
    currency: str
    total_cents: int
    customer_id: int | None
    customer_email: str
    customer_name: str
    placed_at: datetime


class OrderOut(OrderSummaryOut):
    """An order with its lines, amounts, addresses, history and notes."""

    subtotal_cents: int
    shipping_cents: int
    discount_cents: int
    vat: list[VatRowOut]
    customer_phone: str
    customer_language: str
    shipping_address: dict[str, Any] | None
    billing_address: dict[str, Any] | None
    shipping_method_code: str
    shipping_method_label: str
    payment_method_code: str
    paid_at: datetime | None
    shipped_at: datetime | None
    delivered_at: datetime | None
    cancelled_at: datetime | None
    refunded_at: datetime | None
    lines: list[OrderLineOut]
    history: list[StatusChangeOut]
    notes: list[NoteOut]
    allowed_transitions: list[str]


class OrderPageOut(BaseModel):
    """One page of orders."""

    items: list[OrderSummaryOut]
    total: int
    page: int
    per_page: int
    pages: int
