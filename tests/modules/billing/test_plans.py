"""Choosing a plan: the quote shown before confirming, upgrades at once (prorated to the day),
downgrades at the period's end (refused while the store is over the smaller plan's limits),
renewals, and the invoices each change issues with gap-free numbers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import insert, select

from modules.billing.exceptions import BillingInputError
from modules.billing.models import PlatformBillingProfile, StoreSubscription, SubscriptionInvoice
from modules.billing.services import (
    invoicing_service,
    plan_service,
    standing_service,
    subscription_service,
)
from modules.billing.services.periods import add_months, prorated, whole_days
from modules.catalog.models import Product
from orion_server.models import AuditEntry
from orion_server.modules.service import module_service

NOW = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)


@pytest.fixture
def store(factories):
    platform = factories.platform(code="lux")
    return factories.store(platform, code="bakery")


@pytest.fixture
def owner(client, factories, store):
    user = factories.staff(store, role="owner")
    factories.login(client, user)
    return user


def invoices(db, store_id: int) -> list[SubscriptionInvoice]:
    db.rollback()
    return list(db.scalars(select(SubscriptionInvoice).where(SubscriptionInvoice.store_id == store_id)
                           .order_by(SubscriptionInvoice.sequence)))


def subscription(db, store_id: int) -> StoreSubscription:
    db.rollback()
    return db.scalar(select(StoreSubscription).where(StoreSubscription.store_id == store_id))


def test_periods_end_on_the_same_day_or_the_months_last():
    assert add_months(datetime(2026, 1, 31, tzinfo=UTC), 1) == datetime(2026, 2, 28, tzinfo=UTC)
    assert add_months(datetime(2028, 1, 31, tzinfo=UTC), 1) == datetime(2028, 2, 29, tzinfo=UTC)
    assert add_months(datetime(2026, 12, 7, tzinfo=UTC), 12) == datetime(2027, 12, 7, tzinfo=UTC)
    assert whole_days(NOW, NOW + timedelta(days=3, hours=1)) == 4
    assert whole_days(NOW, NOW - timedelta(days=1)) == 0
    assert prorated(5_000, 24, 31) == 3_871  # 3870.97 rounds up
    assert prorated(5_000, 0, 31) == 0


def test_starting_a_plan_from_the_trial_invoices_a_full_period(db_session, store):
    """Professional monthly from the trial: a period from today, €99 + 17 % VAT."""
    change = plan_service.change(db_session, store_id=store.id, tier="professional", cycle="monthly", now=NOW)

    assert change.kind == "start"
    sub = subscription(db_session, store.id)
    assert (sub.tier, sub.status, sub.billing_cycle) == ("professional", "active", "monthly")
    assert sub.period_start == NOW and sub.period_end == datetime(2027, 1, 7, 10, 0, tzinfo=UTC)
    assert sub.trial_ends_at is None
    [invoice] = invoices(db_session, store.id)
    assert (invoice.net_cents, invoice.vat_rate, invoice.vat_cents, invoice.total_cents) == (9_900, 17, 1_683, 11_583)
    assert invoice.number == "LUX-000001" and invoice.status == "open"
    assert invoice.due_at == NOW + timedelta(days=14)
    assert invoice.buyer["store_code"] == "bakery" and invoice.seller["name"]
    assert "Professional plan (monthly)" in invoice.lines[0]["description"]


def test_an_upgrade_charges_the_difference_for_the_days_left(db_session, store):
    """Essential monthly started on 7 Dec; upgrading to Business on 31 Dec (7 of 31 days
    left) charges (199 - 49) × 7 / 31 = €33.87 net; the period stays."""
    plan_service.change(db_session, store_id=store.id, tier="essential", cycle="monthly", now=NOW)
    later = NOW + timedelta(days=24)

    quote = plan_service.quote(db_session, store_id=store.id, tier="business", cycle="monthly", now=later)
    assert quote.kind == "upgrade" and quote.allowed
    assert quote.net_cents == prorated(15_000, 7, 31) == 3_387
    assert quote.total_cents == 3_387 + 576

    plan_service.change(db_session, store_id=store.id, tier="business", cycle="monthly", now=later)
    sub = subscription(db_session, store.id)
    assert sub.tier == "business"
    assert (sub.period_start, sub.period_end) == (NOW, datetime(2027, 1, 7, 10, 0, tzinfo=UTC))
    first, second = invoices(db_session, store.id)
    assert (first.number, second.number) == ("LUX-000001", "LUX-000002")
    assert second.total_cents == 3_963 and second.kind == "plan_change"
    assert "7 of 31 days" in second.lines[0]["description"]


def test_moving_to_annual_starts_a_year_less_the_unused_month(db_session, store):
    plan_service.change(db_session, store_id=store.id, tier="essential", cycle="monthly", now=NOW)
    later = NOW + timedelta(days=10)  # 21 of 31 days unused

    plan_service.change(db_session, store_id=store.id, tier="professional", cycle="annual", now=later)

    sub = subscription(db_session, store.id)
    assert (sub.tier, sub.billing_cycle, sub.period_start) == ("professional", "annual", later)
    assert sub.period_end == datetime(2027, 12, 17, 10, 0, tzinfo=UTC)
    invoice = invoices(db_session, store.id)[-1]
    credit = prorated(4_900, 21, 31)
    assert [line["net_cents"] for line in invoice.lines] == [99_000, -credit]
    assert invoice.net_cents == 99_000 - credit


def test_a_downgrade_waits_for_the_end_of_the_period_then_renews_at_the_lower_price(db_session, store):
    plan_service.change(db_session, store_id=store.id, tier="business", cycle="monthly", now=NOW)

    change = plan_service.change(db_session, store_id=store.id, tier="professional", cycle="monthly",
                                 now=NOW + timedelta(days=3))
    assert change.kind == "downgrade" and change.invoice is None
    sub = subscription(db_session, store.id)
    assert (sub.tier, sub.scheduled_tier) == ("business", "professional")

    assert plan_service.renew_due(db_session, now=NOW + timedelta(days=20)) == 0
    assert plan_service.renew_due(db_session, now=datetime(2027, 1, 7, 11, 0, tzinfo=UTC)) == 1
    sub = subscription(db_session, store.id)
    assert (sub.tier, sub.scheduled_tier) == ("professional", None)
    assert sub.period_end == datetime(2027, 2, 7, 10, 0, tzinfo=UTC)
    renewal = invoices(db_session, store.id)[-1]
    assert (renewal.kind, renewal.net_cents, renewal.number) == ("renewal", 9_900, "LUX-000002")


def test_a_server_that_was_off_invoices_every_missed_period(db_session, store):
    plan_service.change(db_session, store_id=store.id, tier="essential", cycle="monthly", now=NOW)

    plan_service.renew_due(db_session, now=datetime(2027, 3, 8, tzinfo=UTC))

    assert [i.period_start.month for i in invoices(db_session, store.id)] == [12, 1, 2, 3]
    assert subscription(db_session, store.id).period_end == datetime(2027, 4, 7, 10, 0, tzinfo=UTC)


def test_keeping_the_plan_forgets_the_scheduled_downgrade(db_session, store):
    plan_service.change(db_session, store_id=store.id, tier="business", cycle="annual", now=NOW)
    plan_service.change(db_session, store_id=store.id, tier="business", cycle="monthly", now=NOW)  # annual -> monthly waits

    plan_service.cancel_scheduled(db_session, store_id=store.id)

    sub = subscription(db_session, store.id)
    assert (sub.tier, sub.billing_cycle, sub.scheduled_tier) == ("business", "annual", None)


def test_a_downgrade_is_refused_with_each_limit_the_store_is_over(db_session, factories, store):
    """Three staff and 201 products on Professional: Essential allows 1 and 200."""
    for code in ("catalog", "inventory"):
        module_service.enable_module(db_session, store.platform_id, code)
    plan_service.change(db_session, store_id=store.id, tier="professional", cycle="monthly", now=NOW)
    factories.staff(store, role="owner")
    factories.staff(store, role="manager")
    db_session.execute(insert(Product), [
        {"store_id": store.id, "slug": f"p-{n}", "status": "draft", "price_cents": 100, "vat_rate": 300,
         "created_at": NOW, "updated_at": NOW} for n in range(201)
    ])
    db_session.commit()

    quote = plan_service.quote(db_session, store_id=store.id, tier="essential", cycle="monthly", now=NOW)
    assert not quote.allowed
    assert {(e.key, e.used, e.allowed) for e in quote.excess} == {("products", 201, 200), ("staff_users", 2, 1)}
    with pytest.raises(BillingInputError) as raised:
        plan_service.change(db_session, store_id=store.id, tier="essential", cycle="monthly", now=NOW)
    messages = [p.message("en") for p in raised.value.problems]
    assert "Essential allows 200 Products; your store has 201." in messages
    assert subscription(db_session, store.id).scheduled_tier is None


@pytest.mark.parametrize(("tier", "cycle", "field"), [
    ("platinum", "monthly", "tier"), ("professional", "weekly", "cycle"), ("enterprise", "monthly", "tier"),
])
def test_a_choice_that_cannot_be_made_names_the_field(db_session, store, tier, cycle, field):
    with pytest.raises(BillingInputError) as raised:
        plan_service.quote(db_session, store_id=store.id, tier=tier, cycle=cycle, now=NOW)
    assert raised.value.problems[0].field == field


def test_the_plan_the_store_is_on_cannot_be_chosen_again(db_session, store):
    plan_service.change(db_session, store_id=store.id, tier="professional", cycle="monthly", now=NOW)
    with pytest.raises(BillingInputError, match="already"):
        plan_service.change(db_session, store_id=store.id, tier="professional", cycle="monthly", now=NOW)
    assert len(invoices(db_session, store.id)) == 1


def test_numbers_have_no_gaps_per_platform_and_follow_the_prefix(db_session, factories, store):
    other = factories.store(store.platform, code="florist")
    elsewhere = factories.store(factories.platform(code="be"), code="brussels")
    invoicing_service.save_profile(db_session, platform_id=store.platform_id, values={
        "seller_name": "Orion Lux SARL", "seller_address": "1 rue de la Gare\nL-1611 Luxembourg",
        "seller_vat_number": "lu 123 456 78", "seller_email": "billing@orion.lu", "iban": "LU28 0019 4006 4475 0000",
        "bic": "BCEELULL", "vat_rate": "17", "payment_terms_days": "30", "grace_days": "14",
        "invoice_prefix": "OL-"})

    for shop in (store, other, elsewhere):
        plan_service.change(db_session, store_id=shop.id, tier="essential", cycle="monthly", now=NOW)

    numbers = [i.number for i in invoices(db_session, store.id) + invoices(db_session, other.id)]
    assert numbers == ["OL-000001", "OL-000002"]
    assert [i.number for i in invoices(db_session, elsewhere.id)] == ["BE-000001"]
    invoice = invoices(db_session, store.id)[0]
    assert invoice.seller["vat_number"] == "LU12345678" and invoice.seller["iban"] == "LU280019400644750000"
    assert invoice.due_at == NOW + timedelta(days=30)


def test_a_failed_issue_gives_its_number_back(db_session, store, monkeypatch):
    """An error after the number was taken rolls the counter back with the invoice."""
    from modules.billing.services import plans

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(plans.audit, "record", broken)
    with pytest.raises(RuntimeError):
        plan_service.change(db_session, store_id=store.id, tier="essential", cycle="monthly", now=NOW)
    db_session.rollback()
    monkeypatch.undo()
    plan_service.change(db_session, store_id=store.id, tier="essential", cycle="monthly", now=NOW)

    assert [i.number for i in invoices(db_session, store.id)] == ["LUX-000001"]
    assert db_session.scalar(select(PlatformBillingProfile.last_invoice_sequence)) == 1


def test_wrong_seller_details_are_named_and_nothing_is_saved(db_session, store):
    with pytest.raises(BillingInputError) as raised:
        invoicing_service.save_profile(db_session, platform_id=store.platform_id, values={
            "seller_name": " ", "seller_email": "nope", "vat_rate": "117", "payment_terms_days": "x",
            "invoice_prefix": "A B", "grace_days": "7"})
    assert set(raised.value.field_messages()) == {
        "seller_name", "seller_email", "vat_rate", "payment_terms_days", "invoice_prefix"}


def test_marking_an_invoice_paid_is_audited_once(db_session, factories, store):
    admin = factories.admin()
    change = plan_service.change(db_session, store_id=store.id, tier="essential", cycle="monthly", now=NOW)

    standing_service.record_payment(db_session, platform_id=store.platform_id, invoice_id=change.invoice.id,
                                note="Transfer 2026-12-09", actor=admin)
    with pytest.raises(BillingInputError, match="not open"):
        standing_service.record_payment(db_session, platform_id=store.platform_id, invoice_id=change.invoice.id)

    invoice = invoices(db_session, store.id)[0]
    assert (invoice.status, invoice.payment_method, invoice.payment_note) == ("paid", "bank_transfer", "Transfer 2026-12-09")
    entry = db_session.scalar(select(AuditEntry).where(AuditEntry.action == "billing.invoice.paid"))
    assert entry.actor_id == admin.id and entry.target == invoice.number


def test_the_plan_change_is_audited_with_before_and_after(db_session, store, factories):
    user = factories.staff(store, role="owner")
    plan_service.change(db_session, store_id=store.id, tier="business", cycle="annual", actor=user, now=NOW)
    entry = db_session.scalar(select(AuditEntry).where(AuditEntry.action == "billing.plan.change"))
    assert entry.details["before"] == {"tier": "essential", "cycle": "monthly"}
    assert entry.details["after"] == {"tier": "business", "cycle": "annual"}
    assert entry.details["invoice"] == "LUX-000001"


def test_trial_then_subscription_keeps_one_row(db_session, store):
    subscription_service.get_or_start_trial(db_session, store_id=store.id, now=NOW)
    plan_service.change(db_session, store_id=store.id, tier="essential", cycle="annual", now=NOW + timedelta(days=5))
    db_session.rollback()
    assert len(list(db_session.scalars(select(StoreSubscription)))) == 1
    assert subscription(db_session, store.id).started_at == NOW + timedelta(days=5)
