"""Carts in the figures: carts open now, for the reports and for ``GET /metrics``."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select

from modules.cart.models import Cart
from modules.contracts.metrics import GaugeValue, MetricPeriod, MetricValue
from orion_server.models import Store


def _open_carts(db: Any, where: Any) -> int:
    """Carts still open and not expired (a shopper may come back to them)."""
    return db.scalar(
        select(func.count(Cart.id)).where(where, Cart.status == "open", Cart.expires_at > datetime.now(UTC))
    ) or 0


def _stores_of(platform_id: int) -> Any:
    return select(Store.id).where(Store.platform_id == platform_id)


class CartMetrics:
    """Open carts now, whatever the period (a cart's life is its own)."""

    def get_store_metrics(self, db: Any, store_id: int, period: MetricPeriod) -> list[MetricValue]:
        """The store's open carts."""
        return [MetricValue("cart.open", "cart.metrics.open", _open_carts(db, Cart.store_id == store_id))]

    def get_platform_metrics(self, db: Any, platform_id: int, period: MetricPeriod) -> list[MetricValue]:
        """The open carts of the platform's stores."""
        return [MetricValue("cart.open", "cart.metrics.open", _open_carts(db, Cart.store_id.in_(_stores_of(platform_id))))]

    def get_platform_gauges(self, db: Any, platform_id: int) -> list[GaugeValue]:
        """Open carts of the platform, for Prometheus."""
        return [GaugeValue("orion_cart_open_carts", "Carts open and not expired",
                           _open_carts(db, Cart.store_id.in_(_stores_of(platform_id))))]
