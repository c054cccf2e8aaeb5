"""What orders provides to other modules through contracts (declared in its definition)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from modules.contracts.channel_orders import ChannelOrder, ChannelOrderIn
from modules.contracts.customer_stats import CustomerOrderStats
from modules.contracts.tier_limits import ORDERS_PER_MONTH
from modules.orders.models import OrderStatus
from modules.orders.services import order_service
from modules.orders.services.monthly import orders_in_month
from orion_server.database import utcnow
from orion_server.errors import NotFoundError


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


class ChannelOrdersProvider:
    """``ChannelOrders``: outside channels' orders placed already paid, found by their external
    id, moved through the status machine."""

    @staticmethod
    def _view(order: Any, created: bool = False) -> ChannelOrder:
        return ChannelOrder(id=order.id, number=order.number, status=order.status, total_cents=order.total_cents,
                            created=created)

    def place(self, db: Any, *, store_id: int, order: ChannelOrderIn, actor: str) -> ChannelOrder:
        addresses = {"shipping": order.shipping_address or {}}
        if order.billing_address:
            addresses["billing"] = order.billing_address
        placed = order_service.place_order(
            db,
            store_id=store_id,
            lines=[
                {"sku": line.sku, "title": line.title, "quantity": line.quantity,
                 "unit_price_cents": line.unit_price_cents, "vat_rate": line.vat_rate, "options": line.options}
                for line in order.lines
            ],
            customer={"email": order.customer_email, "name": order.customer_name, "phone": order.customer_phone,
                      "language": order.customer_language},
            addresses=addresses,
            shipping={"code": order.channel, "label": order.shipping_label, "price_cents": order.shipping_cents},
            payment_method=order.channel,
            channel=order.channel,
            external_id=order.external_id,
            status=OrderStatus.PAID,
            actor=actor,
            placed_at=order.placed_at,
        )
        return self._view(placed.order, placed.created)

    def find(self, db: Any, *, store_id: int, channel: str, external_id: str) -> ChannelOrder | None:
        found = order_service.find_by_external_id(db, store_id=store_id, channel=channel, external_id=external_id)
        return self._view(found) if found is not None else None

    def get(self, db: Any, *, store_id: int, order_id: int) -> ChannelOrder | None:
        try:
            return self._view(order_service.get_order(db, store_id=store_id, order_id=order_id))
        except NotFoundError:
            return None

    def move(self, db: Any, *, store_id: int, order_id: int, to: str, actor: str, note: str = "") -> ChannelOrder:
        order = order_service.get_order(db, store_id=store_id, order_id=order_id)
        if order.status == to:
            return self._view(order)
        return self._view(order_service.change_status(db, order_id=order_id, store_id=store_id, to=to, actor=actor,
                                                      note=note))

    def add_note(self, db: Any, *, store_id: int, order_id: int, body: str, author: str) -> None:
        order_service.add_note(db, order_id=order_id, store_id=store_id, body=body, author=author)
