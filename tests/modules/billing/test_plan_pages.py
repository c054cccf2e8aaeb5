"""The plan pages as a store owner meets them: choose a plan, read the quote, confirm, find
the invoice; staff without ``billing.manage`` see the plan but cannot change it."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from modules.billing.models import StoreSubscription, SubscriptionInvoice


@pytest.fixture
def store(factories):
    platform = factories.platform(code="lux")
    return factories.store(platform, code="bakery")


@pytest.fixture
def owner(client, factories, store):
    """The store's owner, signed in; the session's CSRF token."""
    return factories.login(client, factories.staff(store, role="owner"))


def test_the_plan_page_offers_every_plan_with_both_prices(client, store, owner):
    html = client.get("/store/bakery/billing?lang=en").text

    assert "Change your plan" in html
    assert 'href="/store/bakery/billing/plan?tier=professional&amp;cycle=monthly"' in html
    assert "Annual · €990.00" in html
    assert "Quoted per business" in html  # Enterprise
    assert "No invoices yet" in html


def test_the_quote_shows_the_amount_then_confirming_starts_the_plan(client, db_session, store, owner):
    quote = client.get("/store/bakery/billing/plan?tier=professional&cycle=annual&lang=en")
    assert quote.status_code == 200
    assert "Start Professional" in quote.text
    assert "€990.00" in quote.text and "€168.30" in quote.text and "€1,158.30" in quote.text
    assert "Confirm and invoice €1,158.30" in quote.text

    done = client.post("/store/bakery/billing/plan", data={
        "tier": "professional", "cycle": "annual", "csrf_token": owner}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/store/bakery/billing?done=started"

    page = client.get(done.headers["location"] + "&lang=en").text
    assert "Your plan has started" in page
    assert '<h2 class="billing-plan-name">Professional</h2>' in page
    db_session.rollback()
    number = db_session.scalar(select(SubscriptionInvoice.number))
    assert f'href="/store/bakery/billing/invoices/{number}"' in page

    invoice = client.get(f"/store/bakery/billing/invoices/{number}?lang=en")
    assert invoice.status_code == 200
    assert "Total incl. VAT" in invoice.text and "€1,158.30" in invoice.text
    assert client.get("/store/bakery/billing/invoices?lang=en").text.count(number) >= 1


def test_a_refused_downgrade_lists_what_is_over_and_offers_no_button(client, factories, db_session, store, owner):
    token = owner
    client.post("/store/bakery/billing/plan", data={"tier": "business", "cycle": "monthly", "csrf_token": token})
    db_session.rollback()  # a fresh snapshot: the page's write came after this session's last read
    for n in range(3):
        factories.staff(store, role="manager", email=f"m{n}@example.com")

    page = client.get("/store/bakery/billing/plan?tier=professional&cycle=monthly&lang=en")

    assert page.status_code == 200
    assert "Your store uses more than Professional allows" in page.text
    assert "Staff users: 4 in use, 3 allowed" in page.text
    assert 'action="/store/bakery/billing/plan"' not in page.text

    posted = client.post("/store/bakery/billing/plan?lang=en", data={"tier": "professional", "cycle": "monthly", "csrf_token": token})
    assert posted.status_code == 422
    assert "Staff users: 4 in use, 3 allowed" in posted.text


def test_a_downgrade_is_shown_as_scheduled_and_can_be_taken_back(client, db_session, store, owner):
    token = owner
    client.post("/store/bakery/billing/plan", data={"tier": "business", "cycle": "monthly", "csrf_token": token})
    quote = client.get("/store/bakery/billing/plan?tier=essential&cycle=monthly&lang=en").text
    assert "Nothing is charged now" in quote
    client.post("/store/bakery/billing/plan", data={"tier": "essential", "cycle": "monthly", "csrf_token": token})

    page = client.get("/store/bakery/billing?lang=en").text
    assert re.search(r"From .+ your plan becomes Essential \(monthly\)", page)
    client.post("/store/bakery/billing/plan/keep", data={"csrf_token": token})
    db_session.rollback()
    assert db_session.scalar(select(StoreSubscription.scheduled_tier)) is None


@pytest.mark.parametrize("query", ["tier=gold&cycle=monthly", "tier=enterprise&cycle=monthly", "tier=essential&cycle=daily", ""])
def test_a_choice_that_cannot_be_made_explains_itself(client, store, owner, query):
    page = client.get(f"/store/bakery/billing/plan?{query}&lang=en")
    assert page.status_code == 422
    assert 'class="error"' in page.text
    assert "Choose another plan" in page.text or "Choose monthly or annual" in page.text


def test_staff_without_billing_manage_see_the_plan_but_cannot_change_it(client, factories, store):
    token = factories.login(client, factories.staff(store, permissions=["billing.view", "billing.usage.view"]))

    page = client.get("/store/bakery/billing?lang=en")
    assert page.status_code == 200 and "Change your plan" not in page.text
    assert client.get("/store/bakery/billing/plan?tier=business&cycle=monthly").status_code == 403
    assert client.post("/store/bakery/billing/plan", data={"tier": "business", "cycle": "monthly", "csrf_token": token}).status_code == 403


def test_another_stores_invoice_is_not_found(client, factories, db_session, store, owner):
    other = factories.store(store.platform, code="florist")
    from modules.billing.services import plan_service

    change = plan_service.change(db_session, store_id=other.id, tier="essential", cycle="monthly")
    assert client.get(f"/store/bakery/billing/invoices/{change.invoice.number}").status_code == 404
