"""Points as a discount at checkout: a member pays part of the goods with points; the order
carries the discount and a VAT breakdown that matches an independent computation; the points
leave the card once, and come back when the order is cancelled. Guests, and members below the
fewest points to redeem, are offered nothing."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest

from modules.loyalty.models import LoyaltyCard, LoyaltyTransaction
from modules.loyalty.services import cards, ledger, programs
from modules.orders.services import order_service
from modules.payments.services import settings_service
from orion_server.modules.service import module_service
from orion_server.testing.factories import CUSTOMER_PASSWORD
from tests.modules.checkout.conftest import (
    add_to_cart,
    checkout_body,
    first_order,
    place_api,
    storefront,
)
from tests.modules.loyalty.conftest import PROGRAM, assert_ledger_holds

pytestmark = pytest.mark.usefixtures("clean_db")


@pytest.fixture
def member_shop(factories, db_session):
    platform = factories.platform(code="lux")
    for code in ("catalog", "checkout", "customers", "orders", "loyalty"):
        module_service.enable_module(db_session, platform.id, code)
    store = factories.store(platform, code="bakery", name="Bakery", languages=["en"], default_language="en")
    settings_service.save(db_session, store_id=store.id, gateway="bank_transfer", enabled=True,
                          values={"account_holder": "Bakery SARL", "iban": "LU280019400644750000"})
    factories.product(store, "bread", price=350, stock=20, sku="BREAD", vat_rate=1700)
    factories.product(store, "book", price=1200, stock=20, sku="BOOK", vat_rate=300)
    program = programs.save_program(db_session, store_id=store.id, values={**PROGRAM, "point_value_cents": "2"})
    customer = factories.customer(store, "anna@example.com")
    card, _ = cards.join(db_session, program=program, store_id=store.id, customer_id=customer.id)
    ledger.adjust(db_session, program=program, card_id=card.id, stamps=0, points=250, reason="Welcome",
                  counter=ledger.Counter(store_id=store.id, staff_user_id=None))
    db_session.commit()
    return platform, store, card


def sign_in(client, platform, store):
    client.get(storefront(platform, store, "account/login?lang=en"))
    signed = client.post(storefront(platform, store, "account/login?lang=en"), data={
        "csrf_token": client.cookies["orion_csrf"], "email": "anna@example.com", "password": CUSTOMER_PASSWORD},
        follow_redirects=False)
    assert signed.status_code == 303


def _vat_of(gross: int, rate: int) -> int:
    net = int((Decimal(gross) * 100 / (100 + rate)).to_integral_value(ROUND_HALF_UP))
    return gross - net


def independent_vat(lines: list[tuple[int, int]], discount: int) -> dict[int, tuple[int, int]]:
    """``{rate: (gross, vat)}`` worked out by the rule the orders document, written again here:
    VAT taken out of each line's gross; the discount shared over the rates in proportion to
    their gross (rounded down, the cents left to the rate with the largest gross), each share's
    VAT taken off its rate the same way."""
    gross: dict[int, int] = {}
    vat: dict[int, int] = {}
    for rate, cents in lines:
        gross[rate] = gross.get(rate, 0) + cents
        vat[rate] = vat.get(rate, 0) + _vat_of(cents, rate)
    total = sum(gross.values())
    shares = {rate: int(Decimal(discount) * g // total) for rate, g in gross.items()}
    shares[max(gross, key=lambda rate: (gross[rate], rate))] += discount - sum(shares.values())
    return {rate: (gross[rate] - shares[rate], vat[rate] - _vat_of(shares[rate], rate)) for rate in gross}


def test_a_member_pays_part_with_points_and_gets_them_back_when_cancelled(client, member_shop, db_session):
    platform, store, card = member_shop
    sign_in(client, platform, store)
    add_to_cart(client, platform, store, "BREAD", 2)
    add_to_cart(client, platform, store, "BOOK", 1)
    options = client.get(storefront(platform, store, "api/v1/checkout/options?lang=en")).json()
    [offer] = options["discounts"]
    assert offer["key"] == "loyalty.points" and offer["cents"] == 500  # 250 points at 2 cents
    assert "250 points" in offer["label"]

    quote = client.post(storefront(platform, store, "api/v1/checkout/quote?lang=en"),
                        json={"shipping_method": "delivery", "discounts": ["loyalty.points"]},
                        headers={"X-CSRF-Token": client.cookies["orion_csrf"]}).json()
    placed = place_api(client, platform, store, "points-order-1",
                       checkout_body(discounts=["loyalty.points"], expected_total_cents=quote["total_cents"]))
    assert placed.status_code == 201, placed.text
    order = first_order(db_session, store.id)
    assert order.discount_cents == 500
    assert order.total_cents == order.subtotal_cents + order.shipping_cents - 500 == quote["total_cents"]
    lines = [(17, 700), (3, 1200), (17, order.shipping_cents)]
    expected = independent_vat([line for line in lines if line[1]], 500)
    breakdown = {int(rate): (row["gross"], row["vat"]) for rate, row in order.vat_breakdown.items()}
    assert breakdown == expected
    assert sum(gross for gross, _vat in breakdown.values()) == order.total_cents

    db_session.expire_all()
    assert db_session.get(LoyaltyCard, card.id).points_balance == 0
    again = place_api(client, platform, store, "points-order-1",
                      checkout_body(discounts=["loyalty.points"]))  # the same key: the same order
    assert again.status_code == 200
    assert db_session.query(LoyaltyTransaction).filter_by(kind="discount").count() == 1

    order_service.change_status(db_session, order_id=order.id, store_id=store.id, to="cancelled")
    db_session.commit()
    db_session.expire_all()
    assert db_session.get(LoyaltyCard, card.id).points_balance == 250
    assert_ledger_holds(db_session)


def test_guests_and_small_balances_are_offered_nothing_and_a_forged_choice_is_refused(
        client, member_shop, db_session, factories):
    platform, store, card = member_shop
    add_to_cart(client, platform, store, "BREAD", 1)
    options = client.get(storefront(platform, store, "api/v1/checkout/options?lang=en")).json()
    assert options["discounts"] == []
    forged = place_api(client, platform, store, "guest-points-1", checkout_body(discounts=["loyalty.points"]))
    assert forged.status_code == 422
    assert forged.json()["fields"][0]["field"] == "discounts"

    program = programs.program_for_store(db_session, store.id)
    ledger.adjust(db_session, program=program, card_id=card.id, stamps=0, points=-200, reason="Test",
                  counter=ledger.Counter(store_id=store.id, staff_user_id=None))  # 50 points: below 100
    sign_in(client, platform, store)
    add_to_cart(client, platform, store, "BREAD", 1)
    assert client.get(storefront(platform, store, "api/v1/checkout/options?lang=en")).json()["discounts"] == []


def test_the_checkout_page_offers_the_points_and_the_review_shows_the_discount(client, member_shop, db_session):
    platform, store, card = member_shop
    sign_in(client, platform, store)
    add_to_cart(client, platform, store, "BOOK", 1)
    page = client.get(storefront(platform, store, "checkout?lang=en")).text
    assert 'name="discounts" value="loyalty.points"' in page and "Pay with my 250 points" in page
    from tests.modules.checkout.conftest import page_form

    review = client.post(storefront(platform, store, "checkout/review?lang=en"), data={
        **page_form(), "csrf_token": client.cookies["orion_csrf"], "discounts": ["", "loyalty.points"]})
    assert review.status_code == 200
    assert "Pay with my 250 points" in review.text and "−€5.00" in review.text
    assert 'name="discounts" value="loyalty.points"' in review.text  # carried to the place form


def test_loyalty_off_on_the_platform_offers_no_points_at_checkout(client, member_shop, db_session):
    platform, store, _card = member_shop
    module_service.disable_module(db_session, platform.id, "loyalty")
    db_session.commit()
    sign_in(client, platform, store)
    add_to_cart(client, platform, store, "BOOK", 1)
    assert client.get(storefront(platform, store, "api/v1/checkout/options?lang=en")).json()["discounts"] == []
    assert "Pay with my" not in client.get(storefront(platform, store, "checkout?lang=en")).text
    forged = place_api(client, platform, store, "points-off-1", checkout_body(discounts=["loyalty.points"]))
    assert forged.status_code == 422
