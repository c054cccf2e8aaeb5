"""The storefront JSON API: ``/me`` and ``/session``."""

from __future__ import annotations

from tests.modules.customers.conftest import PASSWORD, anonymous_csrf, make_customer, sf


def api_login(client, store, email="anna@example.com", password=PASSWORD):
    csrf = anonymous_csrf(client, store)
    return client.post(
        sf(store, "api/v1/customers/session"),
        json={"email": email, "password": password},
        headers={"X-CSRF-Token": csrf},
    )


def test_signing_in_through_the_api_opens_me(client, shop, db_session):
    """POST /session sets the cookie; GET /me answers the profile."""
    _platform, bakery, _books = shop
    make_customer(db_session, bakery)

    login = api_login(client, bakery)
    me = client.get(sf(bakery, "api/v1/customers/me"))

    assert login.status_code == 200
    assert "orion_customer" in login.cookies
    assert me.status_code == 200
    assert me.json()["email"] == "anna@example.com"
    assert me.json()["customer_number"] == "C000001"
    assert "password_hash" not in me.json()


def test_me_without_a_session_is_401(client, shop):
    """Signed out, /me answers 401 in JSON."""
    _platform, bakery, _books = shop

    response = client.get(sf(bakery, "api/v1/customers/me"))

    assert response.status_code == 401
    assert response.json()["error"] == "login_required"


def test_wrong_credentials_are_401_and_bad_bodies_422(client, shop, db_session):
    """A wrong password is 401; a body without a password is 422 naming the field."""
    _platform, bakery, _books = shop
    make_customer(db_session, bakery)
    csrf = anonymous_csrf(client, bakery)

    wrong = api_login(client, bakery, password="wrong-password")
    missing = client.post(
        sf(bakery, "api/v1/customers/session"),
        json={"email": "a@b.lu"},
        headers={"X-CSRF-Token": csrf},
    )

    assert wrong.status_code == 401
    assert missing.status_code == 422
    assert [f["field"] for f in missing.json()["fields"]] == ["password"]


def test_patch_me_changes_the_profile_and_validates(client, shop, db_session):
    """PATCH /me saves the language; a bad e-mail or language is 422 with the fields."""
    _platform, bakery, _books = shop
    make_customer(db_session, bakery)
    api_login(client, bakery)
    csrf = anonymous_csrf(client, bakery)

    ok = client.patch(
        sf(bakery, "api/v1/customers/me"),
        json={"preferred_language": "lb"},
        headers={"X-CSRF-Token": csrf},
    )
    bad = client.patch(
        sf(bakery, "api/v1/customers/me"),
        json={"email": "nope", "preferred_language": "xx"},
        headers={"X-CSRF-Token": csrf},
    )
    unknown_field = client.patch(
        sf(bakery, "api/v1/customers/me"),
        json={"customer_number": "X"},
        headers={"X-CSRF-Token": csrf},
    )

    assert ok.status_code == 200 and ok.json()["preferred_language"] == "lb"
    assert bad.status_code == 422
    assert {f["field"] for f in bad.json()["fields"]} == {"email", "preferred_language"}
    assert unknown_field.status_code == 422


def test_patch_me_needs_the_csrf_header(client, shop, db_session):
    """An unsafe API call without X-CSRF-Token is refused."""
    _platform, bakery, _books = shop
    make_customer(db_session, bakery)
    api_login(client, bakery)

    assert (
        client.patch(sf(bakery, "api/v1/customers/me"), json={"first_name": "X"}).status_code == 403
    )


def test_delete_session_signs_out(client, shop, db_session):
    """DELETE /session ends the session."""
    _platform, bakery, _books = shop
    make_customer(db_session, bakery)
    token = api_login(client, bakery).cookies["orion_customer"]
    csrf = anonymous_csrf(client, bakery)

    response = client.delete(sf(bakery, "api/v1/customers/session"), headers={"X-CSRF-Token": csrf})

    assert response.status_code == 204
    client.cookies.set("orion_customer", token)
    assert client.get(sf(bakery, "api/v1/customers/me")).status_code == 401
