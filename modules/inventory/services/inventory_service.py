"""Stock levels, the movement ledger and reservations, keyed by store and SKU.

Rules:
- an item's ``on_hand`` always equals the sum of its movements: every change of ``on_hand``
  writes a movement in the same transaction;
- ``on_hand`` never goes below zero nor below what is reserved (the database checks it too);
- a unit is never sold twice: a reservation decrements with a conditional UPDATE
  (``... WHERE on_hand - reserved >= :q``) inside a write transaction and checks the row
  count; on SQLite the write transaction holds the database's write lock, on PostgreSQL the
  UPDATE takes the row lock and re-checks its condition once the lock is free;
- a reservation of several lines is all or nothing, and reserving a reference twice returns
  the first reservation.

Catalog asks for stock by SKU; inventory never imports catalog.

This file is inventory's service as callers see it: ``inventory_service`` joins the parts, each
in its own file (locations and items, changing levels, reading, reservations), and the limits
and input checks they share (``rules``) are named here too.
"""

from __future__ import annotations

from modules.inventory.services.items import Items
from modules.inventory.services.levels import Levels
from modules.inventory.services.reading import StockReading
from modules.inventory.services.reservations import Reservations
from modules.inventory.services.rules import (
    DEFAULT_HOLD,
    DEFAULT_LOCATION,
    MANUAL_REASONS,
    MAX_ACTOR,
    MAX_NOTE,
    MAX_QUANTITY,
    MAX_REFERENCE,
    MAX_SKU,
    StockInput,
)
from orion_server.pagination import Page

__all__ = [
    "DEFAULT_HOLD",
    "DEFAULT_LOCATION",
    "MANUAL_REASONS",
    "MAX_ACTOR",
    "MAX_NOTE",
    "MAX_QUANTITY",
    "MAX_REFERENCE",
    "MAX_SKU",
    "InventoryService",
    "Page",
    "inventory_service",
]


class InventoryService(StockInput, Items, Levels, StockReading, Reservations):
    """Business rules of stock: levels, ledger, reservations, low-stock alerts."""


inventory_service = InventoryService()
