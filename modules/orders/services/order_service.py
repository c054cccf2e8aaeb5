"""Orders: placing them (totals, VAT, the gap-free number, idempotency), their status machine,
staff notes, listings for the dashboard and the customer, and statistics for customer segments.

Money is integer cents, VAT included; rates are kept in whole percent (17). How VAT is worked
out per line and summed per rate, so that the breakdown's gross amounts always sum to the
order's total, is told in ``totals``.

This file is the orders' service as callers see it: ``order_service`` joins the parts, each in
its own file (reading, the shopper's status page, placing, changing), and the totals, limits,
status machine and input checks they share (``totals``, ``rules``) are named here too.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy.orm import Session

from modules.orders.services.changing import Changing
from modules.orders.services.placing import PlacedOrder, Placing
from modules.orders.services.reading import OrderReading
from modules.orders.services.rules import (
    ADDRESS_FIELDS,
    INITIAL_STATUSES,
    LOCAL_ZONE,
    MAX_KEY,
    MAX_LINES,
    MAX_NOTE,
    MAX_QUANTITY,
    MAX_UNIT_PRICE,
    NOT_SPENT,
    PER_PAGE,
    TIMESTAMPS,
    TRANSITION_PERMISSIONS,
    TRANSITIONS,
    clean_address,
    clean_line,
    format_number,
    number_prefix,
    permission_for,
)
from modules.orders.services.status_page import StatusPage
from modules.orders.services.totals import (
    DEFAULT_SHIPPING_VAT_RATE,
    LineInput,
    Totals,
    compute_totals,
)
from orion_server.pagination import Page

__all__ = [
    "ADDRESS_FIELDS",
    "DEFAULT_SHIPPING_VAT_RATE",
    "INITIAL_STATUSES",
    "LOCAL_ZONE",
    "MAX_KEY",
    "MAX_LINES",
    "MAX_NOTE",
    "MAX_QUANTITY",
    "MAX_UNIT_PRICE",
    "NOT_SPENT",
    "PER_PAGE",
    "TIMESTAMPS",
    "TRANSITIONS",
    "TRANSITION_PERMISSIONS",
    "LineInput",
    "OrderService",
    "Page",
    "PlacedOrder",
    "Totals",
    "clean_address",
    "clean_line",
    "compute_totals",
    "format_number",
    "number_prefix",
    "order_service",
    "order_stats",
    "permission_for",
]


class OrderService(OrderReading, StatusPage, Placing, Changing):
    """Creates orders and moves them through their statuses; every query is scoped to a store."""


order_service = OrderService()


def order_stats(db: Session, store_id: int, customer_ids: Iterable[int]) -> dict[int, tuple[int, int, datetime | None]]:
    """The customers' segment statistics (see ``OrderService.order_stats``), as a plain function
    for the customers module to wire in."""
    return order_service.order_stats(db, store_id=store_id, customer_ids=customer_ids)
