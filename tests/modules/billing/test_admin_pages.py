"""Platform admins and subscriptions: every store's plan and what it owes, extending a trial,
putting a store on a plan, recording a bank transfer, the seller details; all audited, and
only on platforms within the admin's reach."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from modules.billing.models import PlatformBillingProfile, StoreSubscription, SubscriptionInvoice
from modules.billing.services import plan_service, subscription_service
from orion_server.database import utcnow
from orion_server.models import AuditEntry


@pytest.fixture
def platform(factories):
    return factories.platform(code="lux", name="Lux Shops")


@pytest.fixture
def store(factories, platform):
    return factories.store(platform, code="bakery", name="Bakery")


@pytest.fixture
def admin(factories, main_platform):
    return factories.admin(email="admin@example.lu")


@pytest.fixture
def csrf(client, factories, admin):
    client.cookies.set("orion_lang", "en")
    return factories.login(client, admin)


def actions(db) -> list[str]:
    db.rollback()
    return list(db.scalars(select(AuditEntry.action).where(AuditEntry.action.startswith("billing."))
                           .order_by(AuditEntry.id)))


def test_the_list_shows_each_store_with_its_plan_and_what_it_owes(client, db_session, factories, platform, store, csrf):
    factories.store(platform, code="florist", name="Florist")
    plan_service.change(db_session, store_id=store.id, tier="professional", cycle="monthly",
                        now=utcnow() - timedelta(days=20))

    page = client.get("/admin/billing/subscriptions?platform=lux")

    assert page.status_code == 200, page.text[-1500:]
    assert "2 stores" in page.text
    assert "Professional · monthly" in page.text
    assert "€115.83 (1)" in page.text and "billing-overdue" in page.text  # due after 14 days
    assert "No subscription yet" in page.text  # the florist never opened billing


def test_extending_a_trial_is_audited_and_checked(client, db_session, store, csrf):
    subscription = subscription_service.get_or_start_trial(db_session, store_id=store.id)
    ends = subscription.trial_ends_at

    bad = client.post("/admin/billing/subscriptions/bakery/trial?platform=lux", data={"csrf_token": csrf, "days": "400"})
    assert bad.status_code == 422 and "A whole number from 1 to 90." in bad.text

    done = client.post("/admin/billing/subscriptions/bakery/trial?platform=lux",
                       data={"csrf_token": csrf, "days": "10"}, follow_redirects=False)
    assert done.status_code == 303
    assert "The trial was extended." in client.get(done.headers["location"]).text
    db_session.rollback()
    assert db_session.scalar(select(StoreSubscription.trial_ends_at)) == ends + timedelta(days=10)
    assert actions(db_session) == ["billing.trial.extend"]


def test_setting_a_plan_applies_at_once_without_an_invoice(client, db_session, store, csrf):
    done = client.post("/admin/billing/subscriptions/bakery/plan?platform=lux",
                       data={"csrf_token": csrf, "tier": "business", "cycle": "annual"}, follow_redirects=False)

    assert done.status_code == 303
    db_session.rollback()
    sub = db_session.scalar(select(StoreSubscription))
    assert (sub.tier, sub.billing_cycle, sub.status) == ("business", "annual", "active")
    assert db_session.scalar(select(SubscriptionInvoice.id)) is None
    entry = db_session.scalar(select(AuditEntry).where(AuditEntry.action == "billing.plan.set"))
    assert entry.details["after"]["tier"] == "business" and entry.actor_label == "admin@example.lu"

    wrong = client.post("/admin/billing/subscriptions/bakery/plan?platform=lux",
                        data={"csrf_token": csrf, "tier": "gold", "cycle": "annual"})
    assert wrong.status_code == 422 and "Choose one of the plans" in wrong.text


def test_recording_a_transfer_marks_the_invoice_paid(client, db_session, store, csrf):
    change = plan_service.change(db_session, store_id=store.id, tier="essential", cycle="monthly")

    page = client.get("/admin/billing/subscriptions/bakery?platform=lux")
    assert change.invoice.number in page.text and "Mark paid" in page.text
    done = client.post(f"/admin/billing/subscriptions/bakery/invoices/{change.invoice.id}/paid?platform=lux",
                       data={"csrf_token": csrf, "note": "SEPA 2026-12-09"}, follow_redirects=False)
    assert done.status_code == 303
    again = client.post(f"/admin/billing/subscriptions/bakery/invoices/{change.invoice.id}/paid?platform=lux",
                        data={"csrf_token": csrf, "note": "twice"})
    assert again.status_code == 422 and "is not open any more" in again.text

    db_session.rollback()
    db_session.expire_all()
    invoice = db_session.scalar(select(SubscriptionInvoice).where(SubscriptionInvoice.id == change.invoice.id))
    assert (invoice.status, invoice.payment_note) == ("paid", "SEPA 2026-12-09")
    assert "billing.invoice.paid" in actions(db_session)


def test_the_seller_details_are_checked_then_saved(client, db_session, platform, csrf):
    form = client.get("/admin/billing/profile?platform=lux")
    assert form.status_code == 200 and 'value="Lux Shops"' in form.text and 'value="17"' in form.text
    db_session.rollback()
    assert db_session.scalar(select(PlatformBillingProfile.id)) is None  # reading wrote nothing

    values = {"csrf_token": csrf, "seller_name": "Lux Shops SARL", "seller_address": "1, rue de la Gare\nL-1611 Luxembourg",
              "seller_vat_number": "LU 1234 5678", "seller_email": "billing@lux.lu", "iban": "LU28 0019 4006 4475 0000",
              "bic": "BCEELULL", "vat_rate": "17", "payment_terms_days": "30", "grace_days": "10",
              "orders_when_read_only": "on", "invoice_prefix": "LS-"}
    bad = client.post("/admin/billing/profile?platform=lux", data={**values, "vat_rate": "170", "seller_email": "x"})
    assert bad.status_code == 422 and "A whole number from 0 to 100." in bad.text
    assert "Lux Shops SARL" in bad.text  # what was typed is kept

    assert client.post("/admin/billing/profile?platform=lux", data=values, follow_redirects=False).status_code == 303
    db_session.rollback()
    profile = db_session.scalar(select(PlatformBillingProfile))
    assert (profile.seller_vat_number, profile.grace_days, profile.orders_when_read_only) == ("LU12345678", 10, True)
    assert "billing.profile.update" in actions(db_session)


def test_a_platform_out_of_reach_does_not_exist(client, factories, main_platform, store):
    other = factories.platform(code="be")
    factories.login(client, factories.platform_admin(other))

    assert client.get("/admin/billing/subscriptions?platform=lux").status_code == 404
    assert client.get("/admin/billing/subscriptions/bakery?platform=lux").status_code == 404
    assert client.get("/admin/billing/subscriptions/bakery?platform=be").status_code == 404
