"""A shopper's account cannot be moved to someone else by whoever finds it signed in: a new
e-mail address takes the current password and a link opened at the new address, and a new
password ends every other session."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from modules.contracts.events import CustomerEmailConfirmationRequested
from modules.customers.models import Customer
from orion_server.testing.events import Announced
from tests.modules.customers.conftest import PASSWORD, make_customer, sf, sign_in

NEW = "a-new-shopper-secret"


def _profile(client, store, **fields):
    data = {"csrf_token": client.cookies["orion_csrf"], "email": "anna@example.com", "first_name": "Anna",
            "last_name": "Muller", "phone": "", "preferred_language": "en"}
    data.update(fields)
    return client.post(sf(store, "account/profile"), data=data, headers={"accept-language": "en"},
                       follow_redirects=False)


def test_a_new_email_address_needs_the_current_password(client, shop, db_session):
    _platform, bakery, _books = shop
    make_customer(db_session, bakery)
    assert sign_in(client, bakery).status_code == 303

    refused = _profile(client, bakery, email="mallory@example.com")
    assert refused.status_code == 422 and "Saisissez votre mot de passe actuel" in refused.text  # her language
    wrong = _profile(client, bakery, email="mallory@example.com", email_password="guess")
    assert wrong.status_code == 422
    db_session.rollback()
    assert db_session.scalar(select(Customer.email)) == "anna@example.com"

    assert _profile(client, bakery, first_name="Annie").status_code == 303  # other fields need nothing
    links = Announced(db_session, CustomerEmailConfirmationRequested, lambda e: (e.email, e.purpose, e.link))
    moved = _profile(client, bakery, email="anna.new@example.com", email_password=PASSWORD)
    assert moved.status_code == 303 and moved.headers["location"].endswith("account/?done=email_pending")
    db_session.rollback()
    assert db_session.scalar(select(Customer.email)) == "anna@example.com"  # not before the link is opened
    account = client.get(sf(bakery, "account/?lang=en")).text
    assert "We sent a link to anna.new@example.com" in account
    [(to, purpose, link)] = links
    assert (to, purpose) == ("anna.new@example.com", "email_change")
    _confirm(client, link)
    db_session.rollback()
    assert db_session.scalar(select(Customer.email)) == "anna.new@example.com"
    again = _confirm(client, link)  # single use
    assert "no longer works" in again.text


def _confirm(client, link):
    """Open an e-mailed confirmation link, then press its button (as a person would)."""
    path = link.split("http://testserver", 1)[-1]
    page = client.get(path, headers={"accept-language": "en"})
    token = path.split("token=", 1)[1]
    action = path.split("?", 1)[0]
    if "no longer works" in page.text:
        return page
    return client.post(action, data={"csrf_token": client.cookies["orion_csrf"], "token": token},
                       headers={"accept-language": "en"})


def test_the_api_asks_for_the_password_too(client, shop, db_session):
    _platform, bakery, _books = shop
    make_customer(db_session, bakery)
    sign_in(client, bakery)
    api = sf(bakery, "api/v1/customers/me")
    headers = {"x-csrf-token": client.cookies["orion_csrf"]}
    refused = client.patch(api, json={"email": "mallory@example.com"}, headers=headers)
    assert refused.status_code == 422
    assert {f["field"] for f in refused.json()["fields"]} == {"email_password"}
    moved = client.patch(api, json={"email": "anna.new@example.com", "email_password": PASSWORD}, headers=headers)
    assert moved.status_code == 200 and moved.json()["email"] == "anna@example.com"  # until confirmed
    assert moved.json()["pending_email"] == "anna.new@example.com"  # the shopper's app can say so
    assert client.get(api).json()["pending_email"] == "anna.new@example.com"
    assert [e.email for e in Announced(db_session, CustomerEmailConfirmationRequested)] == ["anna.new@example.com"]


def test_a_new_password_ends_every_other_session(client, shop, db_session, orion_app):
    _platform, bakery, _books = shop
    make_customer(db_session, bakery)
    with TestClient(orion_app, base_url="http://testserver") as elsewhere:
        assert sign_in(elsewhere, bakery).status_code == 303
        assert sign_in(client, bakery).status_code == 303
        changed = client.post(sf(bakery, "account/password"), follow_redirects=False, data={
            "csrf_token": client.cookies["orion_csrf"], "current_password": PASSWORD, "new_password": NEW})
        assert changed.status_code == 303
        assert client.get(sf(bakery, "account/"), follow_redirects=False).status_code == 200  # still in here
        assert elsewhere.get(sf(bakery, "account/"), follow_redirects=False).status_code in (302, 303)
