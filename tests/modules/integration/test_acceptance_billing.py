"""Acceptance (issue: subscriptions paid through the payments gateway protocol): a store on
Essential with 200 products is told, when adding one more, that Professional allows more; the
owner upgrades on the plan page, pays the upgrade's invoice by card through the platform's own
Stripe account (the local fake; its signed webhook at the platform URL), then adds the product.
The upgrade's invoice PDF, read back as text, has the right number, VAT and total."""

from __future__ import annotations

from sqlalchemy import select

from modules.billing.models import SubscriptionInvoice
from modules.billing.services import invoicing_service, plan_service, standing_service
from modules.contracts.tier_limits import PRODUCTS, limit_of
from orion_server.modules.service import module_service
from tests.modules.billing.test_invoice_pdf import text_of
from tests.modules.catalog.test_plan_limits import fill
from tests.modules.catalog.test_store_api import API, product_body
from tests.modules.integration.test_subscription_card_payments import (
    platform_takes_cards,
    platform_webhook_url,
    post_signed,
    succeeded,
)

LIMIT_MESSAGE = ("The Essential plan allows 200 products, and the store has 200. The Professional plan "
                 "allows more: upgrade in Billing, or delete a product first.")


def test_an_essential_store_at_its_limit_upgrades_pays_by_card_and_adds_the_product(
    client, db_session, factories, shop, fake
):
    platform, bakery, _ = shop
    module_service.enable_module(db_session, platform.id, "catalog")
    invoicing_service.save_profile(db_session, platform_id=platform.id, values={
        "seller_name": "Lux Shops SARL", "seller_address": "1, rue de la Gare\nL-1611 Luxembourg",
        "seller_vat_number": "LU99999999", "seller_email": "billing@lux.lu", "iban": "LU280019400644750000",
        "bic": "BCEELULL", "vat_rate": "17", "payment_terms_days": "14", "grace_days": "14"})
    # on Essential (monthly), its first invoice paid by transfer
    first = plan_service.change(db_session, store_id=bakery.id, tier="essential", cycle="monthly")
    standing_service.record_payment(db_session, platform_id=platform.id, invoice_id=first.invoice.id)
    platform_takes_cards(db_session, platform)
    fill(db_session, bakery, 200)
    assert limit_of(db_session, store_id=bakery.id, key=PRODUCTS).tier_name == "Essential"
    csrf = factories.owner(client, bakery)

    # 1. the 201st product is refused, naming the plan that allows more
    refused = client.post(API + "?lang=en", json=product_body(), headers={"X-CSRF-Token": csrf})
    assert refused.status_code == 422
    assert {f["field"]: f["message"] for f in refused.json()["fields"]}["form"] == LIMIT_MESSAGE

    # 2. the owner confirms Professional on the plan page and is sent to pay the new invoice
    quote = client.get("/store/bakery/billing/plan?tier=professional&cycle=monthly&lang=en")
    assert quote.status_code == 200
    confirmed = client.post("/store/bakery/billing/plan", data={
        "tier": "professional", "cycle": "monthly", "csrf_token": csrf}, follow_redirects=False)
    db_session.rollback()
    invoice = db_session.scalars(select(SubscriptionInvoice).where(SubscriptionInvoice.store_id == bakery.id)
                                 .order_by(SubscriptionInvoice.sequence.desc())).first()
    assert invoice.number == "LUX-000002" and invoice.kind == "plan_change" and invoice.status == "open"
    # same instant: the whole period is left, so the difference is €99 − €49 = €50 net, 17 % VAT
    assert (invoice.net_cents, invoice.vat_rate, invoice.vat_cents, invoice.total_cents) == (5_000, 17, 850, 5_850)
    assert confirmed.status_code == 303
    assert confirmed.headers["location"] == "/store/bakery/billing/invoices/LUX-000002/pay"
    assert client.get(confirmed.headers["location"]).status_code == 200

    # 3. the card payment at the platform's (fake) Stripe: the invoice total, in euros
    [intent] = fake.intents.values()
    assert (intent["amount"], intent["currency"], intent["metadata"]["reference"]) == (5_850, "eur", "LUX-000002")
    paid = post_signed(client, platform_webhook_url(platform), succeeded(intent["id"], 5_850))
    assert paid.status_code == 200 and paid.json()["changed"] is True
    db_session.rollback()
    assert db_session.get(SubscriptionInvoice, invoice.id).status == "paid"

    # 4. the product is made now
    made = client.post(API, json=product_body(), headers={"X-CSRF-Token": csrf})
    assert made.status_code == 201, made.text

    # 5. the upgrade's invoice as PDF: number, VAT and total
    pdf = client.get("/store/bakery/billing/invoices/LUX-000002.pdf?lang=en")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    text = text_of(pdf.content)
    for expected in ("LUX-000002", "Professional", "€50.00", "17 %", "€8.50", "€58.50", "VAT number: LU99999999"):
        assert expected in text, (expected, text)
