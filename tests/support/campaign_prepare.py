"""Prepare a demo installation for the reliability campaign, as its operator would.

Run inside the installation's environment after ``orion init`` and ``orion demo``:
``python -m tests.support.campaign_prepare --smtp-port N``. The demo platform then sends its
e-mail through the campaign's local SMTP server, and every stocked item of the demo bakery
receives enough units (a receipt in the ledger, as a delivery would) that the load never runs
out. Prints ``{"store", "platform", "skus", "slugs"}`` as JSON: what the shoppers may buy and
open.
"""

from __future__ import annotations

import argparse
import json

from sqlalchemy import select

from modules.catalog.models import Product, Variant
from modules.inventory.models import StockItem
from modules.inventory.services import inventory_service
from modules.messaging.services import smtp_service
from orion_server.database import session_scope
from orion_server.models import Platform, Store

PLATFORM = "demo"
STORE = "boulangerie-dupont"
UNITS = 1_000_000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--smtp-port", type=int, required=True)
    args = parser.parse_args()
    with session_scope() as db:
        platform = db.scalars(select(Platform).filter_by(code=PLATFORM)).one()
        smtp_service.save(db, platform_id=platform.id, host="127.0.0.1", port=args.smtp_port, security="none",
                          from_address="bonjour@boulangerie-dupont.lu", from_name="Boulangerie Dupont")
        store = db.scalars(select(Store).filter_by(code=STORE)).one()
        rows = db.execute(
            select(Product.slug, Variant.sku).join(Variant, Variant.product_id == Product.id)
            .where(Product.store_id == store.id, Product.status == "published")
            .order_by(Product.slug, Variant.sku)
        ).all()
        stocked = {item.sku: item for item in db.scalars(select(StockItem).where(StockItem.store_id == store.id))}
        skus = []
        for _slug, sku in rows:
            item = stocked.get(sku)
            if item is None or item.is_unlimited:
                continue
            inventory_service.receive(db, store_id=store.id, sku=sku, quantity=UNITS - item.on_hand,
                                      actor="campaign", note="campaign stock")
            skus.append(sku)
        slugs = sorted({slug for slug, _sku in rows})
    print(json.dumps({"platform": PLATFORM, "store": STORE, "skus": skus, "slugs": slugs}))


if __name__ == "__main__":
    main()
