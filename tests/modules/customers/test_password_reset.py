"""Forgotten passwords: a link built from the configured base URL, single use, one hour."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from modules.contracts.events import PasswordResetRequested
from modules.customers.models import PasswordResetToken
from orion_server.database import utcnow
from orion_server.testing.events import Announced
from tests.modules.customers.conftest import anonymous_csrf, make_customer, sf, sign_in


@pytest.fixture
def outbox(db_session):
    """The reset links announced for messaging to send, as ``(customer email, link)``."""
    return Announced(db_session, PasswordResetRequested, lambda e: (e.email, e.link))


def ask_for_link(client, store, email="anna@example.com"):
    csrf = anonymous_csrf(client, store)
    return client.post(
        sf(store, "account/forgot?lang=en"), data={"csrf_token": csrf, "email": email}
    )


def test_the_reset_link_uses_the_configured_base_url_not_the_host(client, shop, db_session, outbox):
    """The link starts with ORION_BASE_URL and the path-mode storefront, whatever Host was sent
    (a host name the server does not know is refused outright)."""
    _platform, bakery, _books = shop
    make_customer(db_session, bakery)
    csrf = anonymous_csrf(client, bakery)

    response = client.post(
        sf(bakery, "account/forgot?lang=en"),
        data={"csrf_token": csrf, "email": "ANNA@example.com"},
        headers={"Host": "192.168.1.77:8000"},
    )

    assert response.status_code == 200
    assert "a link to reset the password is on its way" in response.text
    assert len(outbox) == 1
    email, link = outbox[0]
    assert email == "anna@example.com"
    assert link.startswith("http://testserver/platforms/lux/storefront/bakery/account/reset?token=")


def test_a_host_name_the_server_does_not_know_gets_no_link(client, shop, db_session, outbox):
    """A forged Host (to make the link point elsewhere) is refused before anything is sent."""
    _platform, bakery, _books = shop
    make_customer(db_session, bakery)
    csrf = anonymous_csrf(client, bakery)
    response = client.post(
        sf(bakery, "account/forgot?lang=en"),
        data={"csrf_token": csrf, "email": "ANNA@example.com"},
        headers={"Host": "attacker.example"},
    )
    assert response.status_code == 400
    assert len(outbox) == 0


def test_unknown_addresses_get_the_same_answer_and_no_link(client, shop, db_session, outbox):
    """Asking for a link for an unknown address looks the same and sends nothing."""
    _platform, bakery, _books = shop

    response = ask_for_link(client, bakery, "nobody@example.com")

    assert response.status_code == 200
    assert "a link to reset the password is on its way" in response.text
    assert outbox == []


def test_the_link_sets_a_new_password_once(client, shop, db_session, outbox):
    """The new password works, the old one does not, and the link cannot be used again."""
    _platform, bakery, _books = shop
    make_customer(db_session, bakery)
    ask_for_link(client, bakery)
    link = outbox[0][1].removeprefix("http://testserver")
    token = link.split("token=")[1]

    form = client.get(link + "&lang=en")
    assert form.status_code == 200 and f'value="{token}"' in form.text
    csrf = anonymous_csrf(client, bakery)
    short = client.post(
        sf(bakery, "account/reset?lang=en"),
        data={"csrf_token": csrf, "token": token, "password": "short"},
    )
    done = client.post(
        sf(bakery, "account/reset"),
        data={"csrf_token": csrf, "token": token, "password": "brand-new-secret"},
        follow_redirects=False,
    )
    again = client.post(
        sf(bakery, "account/reset?lang=en"),
        data={"csrf_token": csrf, "token": token, "password": "another-secret-9"},
    )

    assert short.status_code == 422 and "at least 10 characters" in short.text
    assert done.status_code == 303
    assert done.headers["location"] == sf(bakery, "account/login?done=password_reset")
    assert again.status_code == 422 and "no longer valid" in again.text
    assert "no longer valid" in client.get(link + "&lang=en").text
    assert sign_in(client, bakery, password="brand-new-secret").status_code == 303
    assert sign_in(client, bakery).status_code == 401


def test_a_reset_link_expires_after_one_hour(client, shop, db_session, outbox):
    """A token older than an hour is refused."""
    _platform, bakery, _books = shop
    make_customer(db_session, bakery)
    ask_for_link(client, bakery)
    token = outbox[0][1].split("token=")[1]
    db_session.execute(
        update(PasswordResetToken).values(expires_at=utcnow() - timedelta(seconds=1))
    )
    db_session.commit()
    csrf = anonymous_csrf(client, bakery)

    response = client.post(
        sf(bakery, "account/reset?lang=en"),
        data={"csrf_token": csrf, "token": token, "password": "brand-new-secret"},
    )

    assert response.status_code == 422
    assert "no longer valid" in response.text


def test_a_reset_link_of_one_store_does_not_work_in_another(client, shop, db_session, outbox):
    """The token belongs to the bakery's customer; the bookshop refuses it."""
    _platform, bakery, books = shop
    make_customer(db_session, bakery)
    ask_for_link(client, bakery)
    token = outbox[0][1].split("token=")[1]

    assert "no longer valid" in client.get(sf(books, f"account/reset?token={token}&lang=en")).text


def test_resetting_the_password_ends_every_session(client, shop, db_session, outbox):
    """Sessions opened before the reset stop working."""
    _platform, bakery, _books = shop
    make_customer(db_session, bakery)
    old = sign_in(client, bakery).cookies["orion_customer"]
    ask_for_link(client, bakery)
    token = outbox[0][1].split("token=")[1]
    csrf = anonymous_csrf(client, bakery)
    client.post(
        sf(bakery, "account/reset"),
        data={"csrf_token": csrf, "token": token, "password": "brand-new-secret"},
    )

    client.cookies.set("orion_customer", old)
    assert client.get(sf(bakery, "account/"), follow_redirects=False).status_code == 303
