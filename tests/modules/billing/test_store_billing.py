"""The store's plan page: the free trial, the tier's limits and real usage only."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, insert, select

from modules.billing.models import StoreSubscription
from modules.billing.services import subscription_service
from modules.catalog.models import Product
from orion_server.database import utcnow
from orion_server.errors import NotFoundError, ValidationError
from orion_server.modules.service import module_service


@pytest.fixture
def store(factories):
    """A store on its own platform."""
    platform = factories.platform(code="lux")
    return factories.store(platform, code="bakery")


@pytest.fixture
def owner(client, factories, store):
    """The store's owner, signed in."""
    user = factories.staff(store, role="owner")
    factories.login(client, user)
    return user


def subscriptions(db) -> int:
    """How many subscriptions exist (read in a fresh transaction)."""
    db.rollback()
    return db.scalar(select(func.count()).select_from(StoreSubscription))


def test_the_first_visit_starts_a_free_trial(client, db_session, store, owner):
    """A store without a subscription gets a 30-day Essential trial, once."""
    response = client.get("/store/bakery/billing?lang=en")

    assert response.status_code == 200
    assert '<h2 class="billing-plan-name">Essential</h2>' in response.text
    assert "Free trial" in response.text
    assert "30 days left" in response.text
    client.get("/store/bakery/billing")
    assert subscriptions(db_session) == 1


def usage_rows(html: str) -> dict[str, tuple[str, str]]:
    """``{limit label: (usage text, note)}`` read from the page's usage section."""
    if 'class="billing-usage-list"' not in html:
        return {}
    section = html[html.index('class="billing-usage-list"'):]
    rows = {}
    for block in section.split('<div class="billing-usage billing-usage-')[1:]:
        spans = re.findall(r"<span>([^<]*)</span>", block)
        note = re.search(r'<p class="billing-usage-note" role="status">([^<]*)</p>', block)
        rows[spans[0]] = (spans[1], note.group(1) if note else "")
    return rows


def test_the_page_shows_the_tiers_limits_and_price(client, store, owner):
    """The Essential limits and price; usage only for what an enabled module counts."""
    html = client.get("/store/bakery/billing?lang=en").text

    assert "€49.00 per month" in html
    assert "<td>Orders per month</td>\n      <td>100</td>" in html
    assert "<td>Products</td>\n      <td>200</td>" in html
    assert set(usage_rows(html)) == {"Staff users"}  # catalog and orders are off on this platform


def test_usage_of_every_limit_counted_with_a_warning_from_80_percent(client, factories, db_session, store, owner):
    """Products (drafts too) and this month's orders are counted by their modules; 160 of 200
    products warns, naming the plan that allows more; the owner fills the one staff place."""
    for code in ("catalog", "inventory", "orders"):
        module_service.enable_module(db_session, store.platform_id, code)
    now = utcnow()
    db_session.execute(insert(Product), [
        {"store_id": store.id, "slug": f"p-{n}", "status": "draft", "price_cents": 100, "vat_rate": 300,
         "created_at": now, "updated_at": now} for n in range(160)])
    db_session.commit()
    factories.order(store)

    rows = usage_rows(client.get("/store/bakery/billing?lang=en").text)

    assert rows["Products"] == ("160 of 200", "80 % used. The Professional plan allows more.")
    assert rows["Orders per month"] == ("1 of 100", "")
    assert rows["Staff users"] == ("1 of 1", "Limit reached. The Professional plan allows more.")


def test_more_members_than_the_tier_allows_show_the_limit_reached(client, factories, store, owner):
    """Essential allows one staff user; a second member (or an invitation) is over it."""
    factories.staff(store, permissions=["cms.pages.view"])

    rows = usage_rows(client.get("/store/bakery/billing?lang=de").text)

    assert rows["Mitarbeiterzugänge"] == ("2 von 1", "Grenze erreicht. Der Tarif Professional erlaubt mehr.")


def test_staff_without_usage_permission_see_limits_but_no_usage(client, factories, store):
    """billing.view alone shows the plan; billing.usage.view adds the usage section."""
    factories.login(client, factories.staff(store, permissions=["billing.view"]))

    html = client.get("/store/bakery/billing?lang=en").text

    assert "Essential" in html
    assert "<h2>Usage</h2>" not in html


def test_staff_without_billing_permission_are_refused(client, factories, store):
    """billing.view gates the page."""
    factories.login(client, factories.staff(store, permissions=["cms.pages.view"]))

    assert client.get("/store/bakery/billing").status_code == 403


def test_the_menu_shows_billing_only_to_those_allowed(client, factories, store):
    """The "Plan & billing" entry is hidden from staff without billing.view."""
    factories.login(client, factories.staff(store, permissions=["cms.pages.view"]))
    html = client.get("/store/bakery/content?lang=en").text
    assert "/store/bakery/billing" not in html

    factories.login(client, factories.staff(store, role="owner"))
    html = client.get("/store/bakery/billing?lang=en").text
    assert '<a href="/store/bakery/billing" class="active">Plan &amp; billing</a>' in html


def test_an_expired_trial_says_so(client, db_session, store, owner):
    """A trial that started 31 days ago is reported as over, with what to do."""
    subscription_service.get_or_start_trial(
        db_session, store_id=store.id, now=datetime.now(UTC) - timedelta(days=31)
    )

    html = client.get("/store/bakery/billing?lang=en").text

    assert "Your free trial ended on" in html
    assert "Contact the platform to choose a plan." in html


def test_an_active_plan_shows_its_tier(client, db_session, store, owner):
    """After activation the page shows the Professional tier as active, with its limits."""
    subscription_service.activate(db_session, store_id=store.id, tier="professional")

    html = client.get("/store/bakery/billing?lang=en").text

    assert '<h2 class="billing-plan-name">Professional</h2>' in html
    assert "Active since" in html
    assert "€99.00 per month" in html
    assert "<td>Unlimited</td>" in html
    assert "Analytics dashboard" in html
    assert "Business, Enterprise offer higher limits." in html


def test_the_page_is_translated(client, store, owner):
    """In German: plan heading, price format and limits."""
    html = client.get("/store/bakery/billing?lang=de").text

    assert "Ihr Tarif" in html
    assert "49,00\xa0€ pro Monat" in html
    assert "Kostenlose Testphase" in html


def test_the_page_links_to_the_platforms_pricing(client, store, owner):
    """ "Compare plans" leads to the store's platform pricing page."""
    assert 'href="/platforms/lux/pricing"' in client.get("/store/bakery/billing").text


def test_a_trial_needs_an_existing_store(db_session):
    """get_or_start_trial refuses an unknown store id."""
    with pytest.raises(NotFoundError):
        subscription_service.get_or_start_trial(db_session, store_id=999)


def test_activating_an_unknown_tier_names_the_field(db_session, store):
    """activate refuses tiers that do not exist, naming the tier field."""
    with pytest.raises(ValidationError) as raised:
        subscription_service.activate(db_session, store_id=store.id, tier="platinum")

    assert raised.value.field == "tier"
