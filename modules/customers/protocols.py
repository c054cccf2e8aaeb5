"""What the Customers module needs from others, declared here and filled in by them.

The orders module (optional) registers a ``CustomerOrderStatsProvider`` in
``order_stats_providers``; the module messaging (core) appends a callable to
``password_reset_senders`` to e-mail the reset link. Customers never imports either.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, runtime_checkable


@dataclass(frozen=True)
class CustomerOrderStats:
    """What segment rules need to know about one customer's orders in one store."""

    order_count: int = 0
    total_spent_cents: int = 0
    last_order_at: datetime | None = None


@runtime_checkable
class CustomerOrderStatsProvider(Protocol):
    """Order statistics per customer, provided by the orders module."""

    def order_stats(
        self, db: Any, *, store_id: int, customer_ids: Sequence[int]
    ) -> Mapping[int, CustomerOrderStats]:
        """Stats of each customer id that has orders; customers without orders may be left out."""
        ...


order_stats_providers: list[CustomerOrderStatsProvider] = []
"""Registered providers; the first one answers. Empty while the orders module is not installed."""

PasswordResetSender = Callable[[Any, str], None]
"""``(customer, link)``: deliver the reset link to the customer (e-mail)."""

password_reset_senders: list[PasswordResetSender] = []
"""Called in order after a reset link was made; a failing sender does not stop the others."""
