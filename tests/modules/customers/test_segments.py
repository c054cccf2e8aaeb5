"""Segments: rules over a store's customers; order rules need the orders module."""

from __future__ import annotations

from datetime import timedelta

from modules.contracts.customer_stats import CustomerOrderStats, CustomerOrderStatsProvider
from orion_server import providers
from orion_server.database import utcnow
from tests.modules.customers.conftest import make_customer


def create(client, csrf, **fields):
    data = {
        "csrf_token": csrf,
        "name": "German speakers",
        "language": "",
        "min_orders": "",
        "min_total_spent_cents": "",
        "max_days_since_last_order": "",
    }
    data.update(fields)
    return client.post(
        "/store/bakery/customers/segments/new?lang=en", data=data, follow_redirects=False
    )


def test_an_empty_segment_list_says_how_to_start(client, shop, owner):
    """Without segments the page suggests creating one."""
    html = client.get("/store/bakery/customers/segments?lang=en").text

    assert "No segments yet." in html
    assert 'href="/store/bakery/customers/segments/new"' in html


def test_a_language_segment_lists_the_customers_of_that_language(client, shop, owner, db_session):
    """Customers preferring German are members; French ones and other stores' are not."""
    _platform, bakery, books = shop
    make_customer(db_session, bakery, "de1@example.com", preferred_language="de")
    make_customer(db_session, bakery, "fr1@example.com", preferred_language="fr")
    make_customer(db_session, books, "de2@example.com", preferred_language="de")

    response = create(client, owner, language="de")
    members = client.get(response.headers["location"] + "&lang=en").text

    assert response.status_code == 303
    assert "1 customers in this segment" in members
    assert "de1@example.com" in members
    assert "fr1@example.com" not in members and "de2@example.com" not in members


def test_segment_input_is_validated(client, shop, owner):
    """No name, a negative number and no rule at all come back with messages."""
    bad = create(client, owner, name="", min_orders="-1")
    no_rule = create(client, owner, name="Everyone")

    assert bad.status_code == 422
    assert (
        "Give the segment a name." in bad.text and "Enter a whole number of 0 or more." in bad.text
    )
    assert no_rule.status_code == 422 and "Set at least one rule." in no_rule.text


def test_order_rules_match_nobody_without_the_orders_module(client, shop, owner, db_session):
    """With no order statistics provider, the members page says the orders module is needed."""
    _platform, bakery, _books = shop
    make_customer(db_session, bakery)

    response = create(client, owner, name="Regulars", min_orders="3")
    members = client.get(response.headers["location"] + "&lang=en").text

    assert "This segment needs the orders module." in members
    assert "anna@example.com" not in members


def test_order_rules_use_the_order_statistics_provider(client, shop, owner, db_session):
    """A provider's statistics decide membership by orders, spending and recency."""
    _platform, bakery, _books = shop
    regular = make_customer(db_session, bakery, "regular@example.com")
    lapsed = make_customer(db_session, bakery, "lapsed@example.com")
    make_customer(db_session, bakery, "new@example.com")

    class Provider:
        def order_stats(self, db, *, store_id, customer_ids):
            return {
                regular.id: CustomerOrderStats(5, 25_000, utcnow() - timedelta(days=3)),
                lapsed.id: CustomerOrderStats(6, 90_000, utcnow() - timedelta(days=400)),
            }

    with providers.override(CustomerOrderStatsProvider, Provider()):
        response = create(
            client,
            owner,
            name="Active regulars",
            min_orders="3",
            min_total_spent_cents="10000",
            max_days_since_last_order="90",
        )
        members = client.get(response.headers["location"] + "&lang=en").text

    assert "regular@example.com" in members
    assert "lapsed@example.com" not in members and "new@example.com" not in members


def test_segments_of_another_store_are_404(client, factories, shop, owner):
    """The bookshop's staff cannot open the bakery's segment."""
    location = create(client, owner, language="de").headers["location"]
    segment_path = location.split("?")[0]
    factories.db.rollback()
    factories.login(client, factories.staff(shop[2], role="owner"))

    assert client.get(segment_path.replace("/bakery/", "/books/")).status_code == 404
