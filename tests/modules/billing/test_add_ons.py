"""Add-ons on top of a paid plan: bought at once for the days left, more mailboxes as more of
the same, given up at the period's end, renewed with the plan."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from modules.billing.exceptions import BillingInputError
from modules.billing.models import StoreAddOn, SubscriptionInvoice
from modules.billing.services import plan_service
from modules.billing.services.add_ons import add_on_service
from modules.billing.services.periods import prorated

NOW = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)


@pytest.fixture
def store(factories):
    return factories.store(factories.platform(code="lux"), code="bakery")


def invoices(db, store_id):
    db.rollback()
    return list(db.scalars(select(SubscriptionInvoice).where(SubscriptionInvoice.store_id == store_id)
                           .order_by(SubscriptionInvoice.sequence)))


def test_an_add_on_needs_a_paid_plan(db_session, store):
    with pytest.raises(BillingInputError, match="paid plan"):
        add_on_service.quote(db_session, store_id=store.id, code="custom_domain", now=NOW)


def test_buying_charges_the_days_left_and_renews_with_the_plan(db_session, store):
    plan_service.change(db_session, store_id=store.id, tier="professional", cycle="monthly", now=NOW)
    later = NOW + timedelta(days=21)  # 10 of 31 days left

    add_on_service.buy(db_session, store_id=store.id, code="email_mailboxes", quantity="3", now=later)
    add_on_service.buy(db_session, store_id=store.id, code="custom_domain", now=later)

    _, mailboxes, domain = invoices(db_session, store.id)
    assert mailboxes.kind == "add_on" and mailboxes.net_cents == prorated(900, 10, 31) == 290
    assert "E-mail mailboxes × 3" in mailboxes.lines[0]["description"]
    assert domain.net_cents == prorated(500, 10, 31)
    with pytest.raises(BillingInputError, match="already has"):
        add_on_service.quote(db_session, store_id=store.id, code="custom_domain", now=later)

    plan_service.renew_due(db_session, now=datetime(2027, 1, 7, 11, 0, tzinfo=UTC))
    renewal = invoices(db_session, store.id)[-1]
    assert [line["net_cents"] for line in renewal.lines] == [9_900, 500, 900]  # plan, domain, 3 mailboxes
    assert renewal.net_cents == 11_300


def test_given_up_it_runs_to_the_end_of_the_period_and_is_not_renewed(db_session, store):
    plan_service.change(db_session, store_id=store.id, tier="essential", cycle="annual", now=NOW)
    add_on_service.buy(db_session, store_id=store.id, code="premium_ssl", now=NOW)

    row = add_on_service.give_up(db_session, store_id=store.id, code="premium_ssl", now=NOW + timedelta(days=30))

    assert row.ends_at == datetime(2027, 12, 7, 10, 0, tzinfo=UTC)
    assert [a.code for a in add_on_service.of_store(db_session, store_id=store.id, now=NOW + timedelta(days=40))] == ["premium_ssl"]
    plan_service.renew_due(db_session, now=datetime(2027, 12, 8, tzinfo=UTC))
    assert [line["net_cents"] for line in invoices(db_session, store.id)[-1].lines] == [49_000]
    assert add_on_service.of_store(db_session, store_id=store.id, now=datetime(2027, 12, 8, tzinfo=UTC)) == []


@pytest.mark.parametrize(("code", "quantity", "field"), [("fax", "1", "code"), ("email_mailboxes", "0", "quantity"),
                                                         ("email_mailboxes", "51", "quantity"), ("email_mailboxes", "x", "quantity")])
def test_a_wrong_choice_names_its_field(db_session, store, code, quantity, field):
    plan_service.change(db_session, store_id=store.id, tier="essential", cycle="monthly", now=NOW)
    with pytest.raises(BillingInputError) as raised:
        add_on_service.quote(db_session, store_id=store.id, code=code, quantity=quantity, now=NOW)
    assert raised.value.problems[0].field == field


def test_the_owner_buys_and_gives_up_on_the_plan_page(client, factories, db_session, store):
    token = factories.owner(client, store)
    plan_service.change(db_session, store_id=store.id, tier="professional", cycle="monthly")

    page = client.get("/store/bakery/billing?lang=en").text
    assert "Add-ons" in page and "€3.00 per month, excl. VAT" in page
    quote = client.get("/store/bakery/billing/add-ons/email_mailboxes?quantity=2&lang=en")
    assert quote.status_code == 200 and "Add E-mail mailboxes × 2" in quote.text
    bought = client.post("/store/bakery/billing/add-ons/email_mailboxes", data={"csrf_token": token, "quantity": "2"},
                         follow_redirects=False)
    assert bought.headers["location"] == "/store/bakery/billing?done=add_on_bought"
    assert "2 in your subscription" in client.get("/store/bakery/billing?lang=en").text

    client.post("/store/bakery/billing/add-ons/email_mailboxes/give-up", data={"csrf_token": token})
    db_session.rollback()
    assert db_session.scalar(select(StoreAddOn.ends_at)) is not None
    assert client.get("/store/bakery/billing/add-ons/fax?lang=en").status_code == 422
