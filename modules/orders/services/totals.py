"""What an order costs: its lines as the shopper saw them, VAT included, and the totals with
the VAT per rate.

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

from collections.abc import Iterable
from dataclasses import dataclass, field

from orion_server.money import (
    DEFAULT_VAT_RATE,
    percent_from_rate,
    rate_from_percent,
    split_vat,
    vat_of,
    vat_percent,
    vat_total,
)

DEFAULT_SHIPPING_VAT_RATE = percent_from_rate(DEFAULT_VAT_RATE)
"""In whole percent, as orders keep rates."""


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
