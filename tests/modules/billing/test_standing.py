"""An unpaid invoice: a grace period after its due date, then the store is read-only for its
staff (billing stays open so they can pay), with e-mails to the owners at each step; paying
lifts it at once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from modules.billing.models import StoreSubscription, SubscriptionInvoice
from modules.billing.services import invoicing_service, plan_service, standing_service
from modules.messaging.models import EmailOutbox, Notification
from orion_server.database import utcnow
from orion_server.modules.service import module_service


@pytest.fixture
def store(factories, db_session):
    platform = factories.platform(code="lux")
    module_service.enable_module(db_session, platform.id, "catalog")
    return factories.store(platform, code="bakery", name="Bakery", default_language="en")


@pytest.fixture
def owner(client, factories, store):
    """The signed-in owner; the session's CSRF token."""
    return factories.login(client, factories.staff(store, role="owner", email="owner@bakery.lu"))


def status(db, store_id: int) -> str:
    db.rollback()
    return db.scalar(select(StoreSubscription.status).where(StoreSubscription.store_id == store_id))


def emails(db, step: str) -> list[EmailOutbox]:
    db.rollback()
    return list(db.scalars(select(EmailOutbox).where(EmailOutbox.code.startswith("subscription_"),
                                                     EmailOutbox.subject.contains(step))))


@pytest.fixture
def started(db_session, store, owner):
    """Essential monthly started 30 days ago; its invoice (14 days to pay) is 16 days overdue."""
    began = utcnow() - timedelta(days=30)
    change = plan_service.change(db_session, store_id=store.id, tier="essential", cycle="monthly", now=began)
    return change.invoice


def test_an_invoice_is_e_mailed_to_the_owners(db_session, store, started):
    [email] = emails(db_session, started.number)
    assert email.to_address == "owner@bakery.lu"
    assert email.subject == f"Invoice {started.number} for Bakery"
    assert "€57.33" in email.body_text  # 49 + 17 % VAT
    assert "/store/bakery/billing" in email.body_text


def test_grace_then_read_only_then_restored_when_paid(db_session, factories, store, started):
    due = started.due_at
    assert standing_service.refresh(db_session, now=due - timedelta(hours=1)) == 0
    assert status(db_session, store.id) == "active"

    assert standing_service.refresh(db_session, now=due + timedelta(days=1)) == 1
    assert status(db_session, store.id) == "past_due"
    [overdue] = emails(db_session, "is overdue")
    assert "Please pay it by" in overdue.body_text

    assert standing_service.refresh(db_session, now=due + timedelta(days=13)) == 0  # still in grace
    assert standing_service.refresh(db_session, now=due + timedelta(days=14, hours=1)) == 1
    assert status(db_session, store.id) == "read_only"
    assert len(emails(db_session, "read-only")) == 1
    assert standing_service.refresh(db_session, now=due + timedelta(days=15)) == 0  # told once

    standing_service.record_payment(db_session, platform_id=store.platform_id, invoice_id=started.id,
                                    note="Transfer of 2026-12-20", actor=factories.admin())
    assert status(db_session, store.id) == "active"
    assert len(emails(db_session, "Payment received")) == 1
    assert len(emails(db_session, "back in good standing")) == 1
    kinds = set(db_session.scalars(select(Notification.kind).where(Notification.store_id == store.id)))
    assert {"billing_invoice_issued", "billing_payment_overdue", "billing_read_only", "billing_restored"} <= kinds


def test_a_read_only_store_refuses_staff_changes_but_billing_stays_open(client, db_session, store, owner, started):
    standing_service.refresh(db_session, now=started.due_at + timedelta(days=30))
    assert status(db_session, store.id) == "read_only"

    listing = client.get("/store/bakery/products?lang=en")
    assert listing.status_code == 200  # reading still works
    refused = client.post("/store/bakery/products/new?lang=en", data={"csrf_token": owner, "slug": "rye"})
    assert refused.status_code == 403
    assert "Bakery is read-only until its overdue invoice is paid" in refused.text

    # billing is exempt: the store can still change its plan (and so pay)
    moved = client.post("/store/bakery/billing/plan", data={"tier": "professional", "cycle": "monthly",
                                                            "csrf_token": owner}, follow_redirects=False)
    assert moved.status_code == 303


def test_the_hourly_round_renews_then_settles(db_session, store, started):
    from modules.billing.tasks import run_subscription_round

    renewed, changed = run_subscription_round()
    assert renewed == 1 and changed == 1  # the month ended; the first invoice is overdue
    assert status(db_session, store.id) == "read_only"  # 16 days past due, 14 days of grace
    db_session.rollback()
    assert db_session.scalar(select(SubscriptionInvoice.kind).order_by(SubscriptionInvoice.sequence.desc())) == "renewal"


def test_the_grace_period_follows_the_platforms_profile(db_session, store, started):
    invoicing_service.save_profile(db_session, platform_id=store.platform_id, values={
        "seller_name": "Orion", "vat_rate": "17", "payment_terms_days": "14", "grace_days": "30"})
    standing_service.refresh(db_session, now=started.due_at + timedelta(days=20))
    assert status(db_session, store.id) == "past_due"


def test_a_trial_is_never_read_only(db_session, store):
    from modules.billing.services import subscription_service

    subscription_service.get_or_start_trial(db_session, store_id=store.id, now=datetime(2020, 1, 1, tzinfo=UTC))
    assert standing_service.refresh(db_session) == 0
    assert not standing_service.standing(db_session, store_id=store.id).read_only
