"""What orders provides to other modules through contracts (declared in its definition)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from modules.contracts.customer_stats import CustomerOrderStats
from modules.contracts.tier_limits import ORDERS_PER_MONTH
from modules.orders.services import order_service
from modules.orders.services.monthly import orders_in_month
from orion_server.database import utcnow


class OrderStatsProvider:
    """Customer segment statistics from the orders table (cancelled and refunded left out)."""

    def order_stats(
        self, db: Any, *, store_id: int, customer_ids: Sequence[int]
    ) -> Mapping[int, CustomerOrderStats]:
        """Order count, money spent and last order of each customer id that has orders."""
        raw = order_service.order_stats(db, store_id=store_id, customer_ids=customer_ids)
        return {
            cid: CustomerOrderStats(order_count=count, total_spent_cents=spent, last_order_at=last)
            for cid, (count, spent, last) in raw.items()
        }


class OrderPlanUsage:
    """``PlanUsage``: the orders the store took this calendar month (UTC), all statuses."""

    def usage(self, db: Any, *, store_id: int) -> Mapping[str, int]:
        return {ORDERS_PER_MONTH: orders_in_month(db, store_id=store_id, moment=utcnow())}
