"""Helpers of the checkout tests: a shop selling bread (17 %) and books (3 %) with bank transfer
and cash on pickup on, and shortcuts to fill a cart and post the checkout like a shopper."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from modules.inventory.models import StockItem, StockReservation
from modules.orders.models import Order
from modules.payments.models import Payment
from modules.payments.services import settings_service
from orion_server.modules.service import module_service

IBAN = "LU280019400644750000"
ADDRESS = {
    "name": "Marie Weber",
    "street": "12, rue de la Gare",
    "postal_code": "L-1611",
    "city": "Luxembourg",
    "country": "LU",
}


@pytest.fixture
def shop(factories, db_session):
    """A platform with checkout on (and what it needs) and an English store, ``bakery``, taking
    bank transfers and cash on pickup."""
    platform = factories.platform(code="lux")
    for code in ("catalog", "checkout"):
        module_service.enable_module(db_session, platform.id, code)
    store = factories.store(platform, code="bakery", name="Bakery", languages=["en", "fr", "de", "lb"],
                            default_language="en")
    settings_service.save(db_session, store_id=store.id, gateway="bank_transfer", enabled=True,
                          values={"account_holder": "Bakery SARL", "iban": IBAN})
    settings_service.save(db_session, store_id=store.id, gateway="cash_on_pickup", enabled=True, values={})
    return platform, store


@pytest.fixture
def make_product(factories):
    """``make_product(store, "bread", price=350, stock=5, vat=1700)``: a published product."""

    def make(store: Any, slug: str, *, price: int = 350, stock: int = 5, vat: int = 1700, title: str | None = None):
        return factories.product(store, slug, price=price, stock=stock, titles={"en": title or slug.title()},
                                 sku=slug.upper(), vat_rate=vat)

    return make


def storefront(platform: Any, store: Any, path: str = "") -> str:
    """The path-mode URL of a page of ``store``'s storefront."""
    return f"/platforms/{platform.code}/storefront/{store.code}/{path}"


def csrf(client: Any, platform: Any, store: Any) -> str:
    """Open the cart page so the client holds a CSRF cookie; return the token."""
    client.get(storefront(platform, store, "cart?lang=en"))
    return client.cookies.get("orion_csrf")


def add_to_cart(client: Any, platform: Any, store: Any, sku: str, quantity: int = 1) -> None:
    token = csrf(client, platform, store)
    response = client.post(
        storefront(platform, store, "api/v1/cart/lines?lang=en"),
        json={"sku": sku, "quantity": quantity},
        headers={"X-CSRF-Token": token},
    )
    assert response.status_code == 201, response.text


def checkout_body(**overrides: Any) -> dict[str, Any]:
    """A complete API checkout: delivery, paid by bank transfer."""
    body: dict[str, Any] = {
        "email": "marie@example.lu",
        "first_name": "Marie",
        "last_name": "Weber",
        "phone": "+352 621 000 000",
        "address": dict(ADDRESS),
        "billing_same": True,
        "shipping_method": "delivery",
        "payment_method": "bank_transfer",
    }
    body.update(overrides)
    return body


def page_form(**overrides: str) -> dict[str, str]:
    """The checkout page's form, filled in."""
    form = {
        "email": "marie@example.lu",
        "first_name": "Marie",
        "last_name": "Weber",
        "phone": "",
        **{f"address.{k}": v for k, v in ADDRESS.items()},
        "billing_same": "1",
        "shipping_method": "delivery",
        "payment_method": "bank_transfer",
    }
    form.update(overrides)
    return form


def place_api(client: Any, platform: Any, store: Any, key: str, body: dict[str, Any] | None = None):
    return client.post(
        storefront(platform, store, "api/v1/checkout/place?lang=en"),
        json=body if body is not None else checkout_body(),
        headers={"X-CSRF-Token": client.cookies.get("orion_csrf"), "Idempotency-Key": key},
    )


def counts(db: Any, store_id: int) -> tuple[int, int, int]:
    """How many orders, payments and reservations (distinct references) the store has."""
    db.rollback()  # end an earlier read: see what the requests committed since
    db.expire_all()
    orders = db.scalar(select(func.count(Order.id)).where(Order.store_id == store_id))
    payments = db.scalar(select(func.count(Payment.id)).where(Payment.store_id == store_id))
    reservations = db.scalar(
        select(func.count(func.distinct(StockReservation.reference)))
        .join(StockItem, StockItem.id == StockReservation.item_id)
        .where(StockItem.store_id == store_id)
    )
    return orders, payments, reservations


def level(db: Any, store_id: int, sku: str) -> tuple[int, int]:
    """``(on_hand, reserved)`` of a SKU."""
    db.rollback()
    db.expire_all()
    item = db.scalar(select(StockItem).where(StockItem.store_id == store_id, StockItem.sku == sku))
    return item.on_hand, item.reserved


def first_order(db: Any, store_id: int) -> Order | None:
    """The store's first order (by number), fresh from the database."""
    db.rollback()
    return db.scalar(select(Order).where(Order.store_id == store_id).order_by(Order.sequence))
