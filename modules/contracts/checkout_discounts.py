"""Discounts a signed-in shopper may take at checkout, offered by other modules (loyalty's
points), without checkout knowing them: a module declares
``provides={CheckoutDiscountProvider: ...}``; checkout asks every one enabled on the platform.

The flow: checkout shows ``offers``; the shopper picks some; checkout ``hold``s each (the module
takes what pays for it, e.g. points, keyed by the order's idempotency key, once however often
it is asked) before the order is placed with the sum as its discount, and ``release``s them when
placing fails. A cancelled or refunded order announces ``OrderStatusChanged`` with that key, on
which the module gives back what it held.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from orion_server.providers import get_providers


@dataclass(frozen=True)
class DiscountOffer:
    """One discount the shopper may take now."""

    key: str
    """``<module>.<what>``, e.g. ``loyalty.points``: what the shopper's choice names."""
    label: str
    """What it is, in the shopper's language (``Use my 135 points``)."""
    detail: str
    """What it costs them, in their language (``135 points, -€1.35``)."""
    cents: int
    """How much it takes off (VAT included), never more than the goods cost."""


@runtime_checkable
class CheckoutDiscountProvider(Protocol):
    def offers(self, db: Any, *, store_id: int, customer_id: int, goods_cents: int,
               language: str) -> list[DiscountOffer]:
        """What the customer may take off an order of ``goods_cents`` worth of goods."""
        ...

    def hold(self, db: Any, *, store_id: int, customer_id: int, key: str, cents: int, reference: str) -> None:
        """Take what pays for the discount (committed), once per ``reference``; raises a
        ValidationError (field ``discounts``) when the customer no longer has enough."""
        ...

    def release(self, db: Any, *, store_id: int, reference: str) -> None:
        """Give back what ``hold`` took for ``reference`` (committed); nothing if nothing was."""
        ...


def discount_providers(db: Any, *, platform_id: int) -> list[CheckoutDiscountProvider]:
    """The providers enabled on the platform."""
    return get_providers(db, CheckoutDiscountProvider, platform_id=platform_id)
