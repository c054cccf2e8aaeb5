"""Requests and responses of the storefront's checkout API (amounts in cents).

The bodies fix the shape (which fields, of which JSON type); the checkout service judges the
values (required fields, lengths, e-mail, known methods and countries) and names each bad field
in the shopper's language, exactly as for the checkout page.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

TEXT = 1000
"""Longest text the API reads at all; the service's own limits are lower and explained."""


class AddressIn(BaseModel):
    """A postal address; ``country`` is an ISO code (``LU`` when left out)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field("", max_length=TEXT)
    street: str = Field("", max_length=TEXT)
    postal_code: str = Field("", max_length=TEXT)
    city: str = Field("", max_length=TEXT)
    country: str = Field("", max_length=TEXT)


class QuoteIn(BaseModel):
    """The shipping method to price the cart with."""

    model_config = ConfigDict(extra="forbid")

    shipping_method: str = Field("", max_length=TEXT, description="A code from GET /options.")
    discounts: list[Annotated[str, Field(max_length=60)]] = Field(
        default_factory=list, max_length=10, description="Keys of GET /options' discounts to take off."
    )


class PlaceIn(BaseModel):
    """The checkout form. A signed-in customer may send ``address_id`` of a saved address
    instead of ``address``; ``billing_address`` is read when ``billing_same`` is false."""

    model_config = ConfigDict(extra="forbid")

    email: str = Field("", max_length=TEXT)
    first_name: str = Field("", max_length=TEXT)
    last_name: str = Field("", max_length=TEXT)
    phone: str = Field("", max_length=TEXT)
    address: AddressIn | None = None
    address_id: int | None = Field(
        None, ge=1, le=2**31 - 1, description="A saved address of the customer."
    )
    billing_same: bool = True
    billing_address: AddressIn | None = None
    shipping_method: str = Field("", max_length=TEXT, description="A code from GET /options.")
    payment_method: str = Field("", max_length=TEXT, description="A code from GET /options.")
    discounts: list[Annotated[str, Field(max_length=60)]] = Field(
        default_factory=list, max_length=10, description="Keys of GET /options' discounts to take off."
    )
    expected_total_cents: int | None = Field(
        None, strict=True, description="The total the shopper reviewed: a different one is a 409."
    )
    idempotency_key: str | None = Field(
        None,
        max_length=TEXT,
        description="Or the Idempotency-Key header: 8 to 64 of A-Z a-z 0-9 _ . : -",
    )


class ShippingMethodOut(BaseModel):
    code: str
    label: str
    description: str
    price_cents: int
    vat_rate: int
    needs_address: bool
    free_above_cents: int | None


class PaymentMethodOut(BaseModel):
    code: str
    label: str
    description: str


class DiscountOut(BaseModel):
    """A discount the signed-in shopper may take (loyalty points, say)."""

    key: str
    label: str
    detail: str
    cents: int


class OptionsOut(BaseModel):
    """What the shopper can choose, priced for the cart."""

    shipping_methods: list[ShippingMethodOut]
    payment_methods: list[PaymentMethodOut]
    subtotal_cents: int
    item_count: int
    currency: str
    discounts: list[DiscountOut] = []


class LineOut(BaseModel):
    sku: str
    title: str
    quantity: int
    unit_price_cents: int
    total_cents: int
    vat_rate: int


class VatRowOut(BaseModel):
    """The share of one VAT rate (whole percent) in the total."""

    rate: int
    net_cents: int
    vat_cents: int
    gross_cents: int


class QuoteOut(BaseModel):
    """The cart's totals with a shipping method; ``messages`` say what the check of today's
    prices and stock changed in the cart."""

    lines: list[LineOut]
    subtotal_cents: int
    shipping_cents: int
    discount_cents: int = 0
    shipping_method: str | None
    total_cents: int
    vat_cents: int
    vat: list[VatRowOut]
    currency: str
    messages: list[str]


class PaymentOut(BaseModel):
    """The order's payment: pay online at ``redirect_url``, or follow ``instructions``."""

    id: int
    method: str
    status: str
    amount_cents: int
    redirect_url: str | None
    instructions: str


class PlacedOrderOut(BaseModel):
    """The order placed (``created``: by this call, not a repeat) and its payment."""

    number: str
    status: str
    created: bool
    subtotal_cents: int
    shipping_cents: int
    total_cents: int
    currency: str
    vat: list[VatRowOut]
    lines: list[LineOut]
    shipping_method: str
    payment_method: str
    payment: PaymentOut | None
    payment_error: str | None
    status_url: str
    confirmation_url: str
