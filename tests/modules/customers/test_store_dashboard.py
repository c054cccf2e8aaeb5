"""The store dashboard: customer list and search, detail with notes, GDPR export and erasure,
tenant isolation in pages and API."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from modules.customers.models import Customer, CustomerSession
from modules.customers.services import customer_service
from tests.modules.customers.conftest import make_customer, sf, sign_in

ALL = ["customers.view", "customers.edit", "customers.export", "customers.delete"]


def test_an_empty_store_is_told_what_happens_next(client, shop, owner):
    """Without customers, the list explains where they come from."""
    html = client.get("/store/bakery/customers?lang=en").text

    assert "No customers yet." in html
    assert "Share your storefront" in html
    assert '<a href="/store/bakery/customers" class="active">Customers</a>' in html


def test_staff_search_by_name_email_and_number(client, shop, owner, db_session):
    """The search box finds customers by part of their name, e-mail or number."""
    _platform, bakery, _books = shop
    make_customer(db_session, bakery, "anna@example.com", first_name="Anna", last_name="Muller")
    make_customer(db_session, bakery, "jos@example.lu", first_name="Jos", last_name="Schmit")

    by_name = client.get("/store/bakery/customers?q=anna%20mul&lang=en").text
    by_email = client.get("/store/bakery/customers?q=EXAMPLE.LU&lang=en").text
    by_number = client.get("/store/bakery/customers?q=C000002&lang=en").text
    nothing = client.get("/store/bakery/customers?q=zzz&lang=en").text

    assert "anna@example.com" in by_name and "jos@example.lu" not in by_name
    assert "jos@example.lu" in by_email and "anna@example.com" not in by_email
    assert "jos@example.lu" in by_number
    assert "No customer matches “zzz”." in nothing


def test_the_list_paginates(client, shop, owner, db_session):
    """More than 25 customers spread over pages."""
    _platform, bakery, _books = shop
    for n in range(27):
        customer_service.get_or_create_guest(
            db_session, store_id=bakery.id, email=f"g{n}@guests.lu"
        )

    first = client.get("/store/bakery/customers?lang=en").text
    second = client.get("/store/bakery/customers?page=2&lang=en").text

    assert "27 customers" in first
    assert "1 / 2" in first and 'href="/store/bakery/customers?page=2"' in first
    assert second.count("@guests.lu") == 2


def test_the_detail_shows_the_customer_and_staff_add_notes(client, shop, owner, db_session):
    """A note is added from the detail page; an empty one is refused with a message."""
    _platform, bakery, _books = shop
    customer = make_customer(db_session, bakery)

    empty = client.post(
        f"/store/bakery/customers/{customer.id}/notes?lang=en",
        data={"csrf_token": owner, "text": " "},
    )
    added = client.post(
        f"/store/bakery/customers/{customer.id}/notes",
        data={"csrf_token": owner, "text": "Prefers pickup on Saturdays."},
        follow_redirects=False,
    )
    page = client.get(f"/store/bakery/customers/{customer.id}?lang=en").text

    assert empty.status_code == 422 and "Write the note first." in empty.text
    assert added.status_code == 303
    assert "anna@example.com" in page and "Prefers pickup on Saturdays." in page


def test_viewers_cannot_add_notes_erase_or_export(client, factories, shop, db_session):
    """Staff with only customers.view read but cannot change, export or erase."""
    _platform, bakery, _books = shop
    customer = make_customer(db_session, bakery)
    csrf = factories.login(client, factories.staff(bakery, permissions=["customers.view"]))

    assert client.get(f"/store/bakery/customers/{customer.id}").status_code == 200
    assert (
        client.post(
            f"/store/bakery/customers/{customer.id}/notes", data={"csrf_token": csrf, "text": "x"}
        ).status_code
        == 403
    )
    assert client.get(f"/store/bakery/customers/{customer.id}/export").status_code == 403
    assert (
        client.post(
            f"/store/bakery/customers/{customer.id}/erase", data={"csrf_token": csrf}
        ).status_code
        == 403
    )


def test_staff_of_another_store_get_404_in_pages_and_api(client, factories, shop, db_session):
    """The bookshop's staff cannot see the bakery's customer, even by id in their own dashboard."""
    _platform, bakery, books = shop
    customer = make_customer(db_session, bakery)
    factories.login(client, factories.staff(books, role="owner"))

    assert client.get(f"/store/books/customers/{customer.id}").status_code == 404
    assert client.get(f"/store/books/customers/{customer.id}/export").status_code == 404
    assert client.get(f"/api/v1/store/books/customers/{customer.id}").status_code == 404
    assert client.get(f"/store/bakery/customers/{customer.id}").status_code == 404
    assert client.get("/api/v1/store/bakery/customers").status_code == 404
    listing = client.get("/api/v1/store/books/customers").json()
    assert listing["items"] == [] and listing["total"] == 0


def test_the_store_api_lists_searches_and_shows_customers(client, shop, owner, db_session):
    """The JSON API pages and searches the list and shows one customer with notes."""
    _platform, bakery, _books = shop
    anna = make_customer(db_session, bakery)
    make_customer(db_session, bakery, "jos@example.lu", first_name="Jos")
    customer_service.add_note(
        db_session, store_id=bakery.id, customer_id=anna.id, author_user_id=None, text="VIP"
    )

    listing = client.get("/api/v1/store/bakery/customers?q=anna&per_page=10").json()
    detail = client.get(f"/api/v1/store/bakery/customers/{anna.id}").json()
    bad = client.get("/api/v1/store/bakery/customers?per_page=1000")

    assert [c["email"] for c in listing["items"]] == ["anna@example.com"]
    assert listing["total"] == 1 and listing["pages"] == 1
    assert detail["customer_number"] == "C000001"
    assert [n["text"] for n in detail["notes"]] == ["VIP"]
    assert bad.status_code == 422 and bad.json()["fields"][0]["field"] == "per_page"


def test_the_gdpr_export_contains_the_personal_data(client, shop, owner, db_session):
    """The JSON download holds profile, addresses, notes and consents."""
    _platform, bakery, _books = shop
    customer = make_customer(db_session, bakery, phone="+352 691 111 111", marketing_consent=True)
    customer_service.add_address(
        db_session,
        store_id=bakery.id,
        customer_id=customer.id,
        values={
            "name": "Anna Muller",
            "street": "1 Grand-Rue",
            "postal_code": "L-1660",
            "city": "Luxembourg",
        },
    )
    customer_service.add_note(
        db_session,
        store_id=bakery.id,
        customer_id=customer.id,
        author_user_id=None,
        text="Allergic to nuts",
    )

    response = client.get(f"/store/bakery/customers/{customer.id}/export")

    assert response.status_code == 200
    assert 'attachment; filename="customer-C000001.json"' == response.headers["content-disposition"]
    data = json.loads(response.text)
    assert data["profile"]["email"] == "anna@example.com"
    assert data["profile"]["phone"] == "+352 691 111 111"
    assert (
        data["addresses"][0]["street"] == "1 Grand-Rue" and data["addresses"][0]["country"] == "LU"
    )
    assert data["notes"][0]["text"] == "Allergic to nuts"
    assert data["consents"]["marketing"] is True


def test_erasing_anonymises_and_keeps_the_row(client, shop, owner, db_session):
    """After confirmation the personal data are gone, the sessions too, the number stays."""
    _platform, bakery, _books = shop
    customer = make_customer(db_session, bakery, phone="+352 691 111 111")
    customer_service.add_address(
        db_session,
        store_id=bakery.id,
        customer_id=customer.id,
        values={
            "name": "Anna Muller",
            "street": "1 Grand-Rue",
            "postal_code": "L-1660",
            "city": "Luxembourg",
        },
    )
    shopper = client.__class__(client.app, base_url="http://testserver")
    with shopper:
        assert sign_in(shopper, bakery).status_code == 303

        unconfirmed = client.post(
            f"/store/bakery/customers/{customer.id}/erase?lang=en",
            data={"csrf_token": owner, "confirm": "yes"},
        )
        erased = client.post(
            f"/store/bakery/customers/{customer.id}/erase",
            data={"csrf_token": owner, "confirm": "C000001"},
            follow_redirects=False,
        )

        assert (
            unconfirmed.status_code == 422
            and "Type the customer number exactly" in unconfirmed.text
        )
        assert erased.status_code == 303
        db_session.rollback()
        db_session.expire_all()
        row = db_session.get(Customer, customer.id)
        assert row is not None and row.erased_at is not None
        assert row.customer_number == "C000001"
        assert "anna" not in row.email and row.first_name == row.last_name == row.phone == ""
        assert row.password_hash is None and row.addresses == []
        assert db_session.scalar(select(func.count()).select_from(CustomerSession)) == 0
        assert shopper.get(sf(bakery, "account/"), follow_redirects=False).status_code == 303
        assert sign_in(shopper, bakery).status_code == 401
    page = client.get(f"/store/bakery/customers/{customer.id}?lang=en").text
    assert "were erased on" in page and "anna@example.com" not in page


def test_an_erased_address_can_register_again_as_a_new_customer(client, shop, owner, db_session):
    """The e-mail address is free again after erasure; the new account gets a new number."""
    _platform, bakery, _books = shop
    customer = make_customer(db_session, bakery)
    customer_service.erase(db_session, store_id=bakery.id, customer_id=customer.id)

    again = make_customer(db_session, bakery)

    assert again.id != customer.id and again.customer_number == "C000002"
