"""Order statistics per customer, which customers' segments need and orders provides
(``provides={CustomerOrderStatsProvider: ...}``); None where orders is off."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
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

