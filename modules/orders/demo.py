"""Demo orders: a handful per demo store, in various statuses (guest orders: orders does not
import customers).

Orders are placed with an idempotency key per store and position, so loading the demo again
adds nothing twice; lines are plain snapshots (orders never reads the catalog).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session

from modules.orders.models import OrderStatus as S
from modules.orders.services import order_service
from orion_server.database import utcnow

BAKERY_LINES = [
    {"sku": "BD-BAGUETTE", "title": "Baguette tradition", "unit_price_cents": 150, "vat_rate": 3},
    {"sku": "BD-CROISSANT", "title": "Croissant au beurre", "unit_price_cents": 140, "vat_rate": 3},
    {"sku": "BD-QUETSCH", "title": "Quetschentaart", "unit_price_cents": 1850, "vat_rate": 3},
    {"sku": "BD-CAFE", "title": "Café en grains 500 g", "unit_price_cents": 990, "vat_rate": 8},
]
BOOK_LINES = [
    {"sku": "LE-PRENZ", "title": "De Klenge Prënz", "unit_price_cents": 1500, "vat_rate": 3},
    {"sku": "LE-GUIDE", "title": "Luxemburg Reiseführer", "unit_price_cents": 2290, "vat_rate": 3},
    {"sku": "LE-KALENNER", "title": "Kalenner 2027", "unit_price_cents": 1290, "vat_rate": 3},
    {"sku": "LE-TOTE", "title": "Stoffbeutel Librairie", "unit_price_cents": 850, "vat_rate": 17},
]
SHOPPERS = [
    ("marie.weber@example.lu", "Marie Weber", "lb"),
    ("paul.dupont@example.lu", "Paul Dupont", "fr"),
    ("anna.schmit@example.de", "Anna Schmit", "de"),
    ("john.smith@example.com", "John Smith", "en"),
    ("guest.kirchberg@example.lu", "Luc Hoffmann", "fr"),
]
ADDRESS = {"street": "12 rue de la Gare", "postal_code": "L-1611", "city": "Luxembourg", "country": "LU"}
PLAN: list[tuple[tuple[int, ...], tuple[str, ...], int]] = [
    # (line indexes with quantities taken from their position, statuses after creation, days ago)
    ((0, 1), (), 0),
    ((2,), (S.PAID,), 1),
    ((0, 3), (S.PAID, S.PROCESSING), 2),
    ((1, 2, 3), (S.PAID, S.PROCESSING, S.SHIPPED), 4),
    ((0, 2), (S.PAID, S.PROCESSING, S.SHIPPED, S.DELIVERED), 9),
    ((3,), (S.CANCELLED,), 12),
]


def _lines(catalogue: list[dict[str, Any]], picks: tuple[int, ...]) -> list[dict[str, Any]]:
    return [{**catalogue[i], "quantity": 1 + (n + i) % 3} for n, i in enumerate(picks)]


def load_demo(db: Session, platform: Any, stores: list[Any]) -> list[str]:
    """Place the demo orders in every demo store (skipping those placed before)."""
    lines: list[str] = []
    for s, store in enumerate(stores):
        catalogue = BAKERY_LINES if s % 2 == 0 else BOOK_LINES
        added = 0
        for n, (picks, steps, days) in enumerate(PLAN):
            email, name, language = SHOPPERS[n % len(SHOPPERS)]
            placed = order_service.place_order(
                db,
                store_id=store.id,
                lines=_lines(catalogue, picks),
                customer={"email": email, "name": name, "language": language},
                addresses={"shipping": {"name": name, **ADDRESS}},
                shipping={"code": "standard", "label": "Standard", "price_cents": 490, "vat_rate": 17},
                payment_method="bank_transfer",
                idempotency_key=f"demo-order-{n + 1}",
                actor="demo",
                placed_at=utcnow() - timedelta(days=days, hours=n),
            )
            if not placed.created:
                continue
            added += 1
            for status in steps:
                order_service.change_status(
                    db, order_id=placed.order.id, store_id=store.id, to=status, actor="demo"
                )
        if added:
            lines.append(f"Added {added} demo orders to {store.code!r}.")
    return lines
