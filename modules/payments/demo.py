"""Demo payment methods: every demo store takes bank transfers and cash on pickup.

Card and PayPal need the store's own keys, so the demo leaves them off.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from modules.payments.services import settings_service

DEMO_IBAN = "LU28 0019 4006 4475 0000"


def load_demo(db: Session, platform: Any, stores: list[Any]) -> list[str]:
    """Turn on the offline gateways of each demo store that has no payment settings yet."""
    lines: list[str] = []
    for store in stores:
        if any(view.enabled for view in settings_service.views(db, store_id=store.id)):
            continue
        settings_service.save(
            db,
            store_id=store.id,
            gateway="bank_transfer",
            enabled=True,
            values={"account_holder": store.name, "iban": DEMO_IBAN, "bic": "BCEELULL"},
        )
        settings_service.save(db, store_id=store.id, gateway="cash_on_pickup", enabled=True, values={})
        lines.append(f"Enabled bank transfer and cash on pickup for {store.code}.")
    return lines
