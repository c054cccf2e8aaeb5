"""Cart: requests and responses of the storefront API (amounts in cents)."""

from pydantic import BaseModel, ConfigDict, Field


class LineIn(BaseModel):
    """A SKU to add and how many units."""

    model_config = ConfigDict(extra="forbid")

    sku: str = Field(min_length=1, max_length=64)
    quantity: int = Field(default=1, ge=1)


class QuantityIn(BaseModel):
    """The new number of units of a line (0 removes it)."""

    model_config = ConfigDict(extra="forbid")

    quantity: int = Field(ge=0)


class CartLineOut(BaseModel):
    """One line: the price per unit is the one of when it was added (or last checked)."""

    sku: str
    title: str
    quantity: int
    unit_price_cents: int
    total_cents: int


class CartOut(BaseModel):
    """The cart with its totals; ``messages`` say what the check against today's prices and
    stock changed (in the shopper's language)."""

    lines: list[CartLineOut]
    subtotal_cents: int
    item_count: int
    currency: str
    messages: list[str]


__all__ = ["CartLineOut", "CartOut", "LineIn", "QuantityIn"]
