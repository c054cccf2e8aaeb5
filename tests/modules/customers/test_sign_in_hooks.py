"""Customers runs the sign-in hooks (contracts' ``ShopperLoginHook``, provided by enabled
modules) on every storefront sign-in and registration, and answers who is signed in for other
modules (``ShopperResolver``)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from modules.cart.providers import MergeCartOnLogin
from modules.contracts.storefront_customer import (
    ShopperLogin,
    ShopperLoginHook,
    ShopperResolver,
    current_shopper,
    login_path,
)
from modules.customers.services import CUSTOMER_COOKIE
from orion_server import providers
from orion_server.modules.service import module_service
from tests.modules.customers.conftest import PASSWORD, anonymous_csrf, make_customer, sf, sign_in


class Recorder:
    """A sign-in hook recording each sign-in (the customer's session exists when it runs)."""

    def __init__(self) -> None:
        self.events: list[ShopperLogin] = []

    def after_login(self, db: Any, event: ShopperLogin) -> None:
        assert CUSTOMER_COOKIE in event.response.headers.get("set-cookie", "")
        self.events.append(event)


@pytest.fixture
def heard():
    """The sign-ins the only hook heard."""
    recorder = Recorder()
    with providers.override(ShopperLoginHook, recorder):
        yield recorder.events


def test_the_sign_in_hooks_are_those_of_the_enabled_modules(shop, db_session):
    """The cart's hook runs where the cart is on, and only there."""
    platform = shop[0]
    before = providers.get_providers(db_session, ShopperLoginHook, platform_id=platform.id)
    module_service.enable_module(db_session, platform.id, "cart")
    after = providers.get_providers(db_session, ShopperLoginHook, platform_id=platform.id)

    assert before == []
    assert [type(hook) for hook in after] == [MergeCartOnLogin]


def test_signing_in_runs_the_hooks_with_the_request_and_the_response(
    client, shop, db_session, heard
):
    """One event per sign-in, for the right store and customer."""
    bakery = shop[1]
    anna = make_customer(db_session, bakery)

    assert sign_in(client, bakery).status_code == 303

    assert len(heard) == 1
    event = heard[0]
    assert (event.store_id, event.customer_id, event.registered) == (bakery.id, anna.id, False)
    assert event.request.url.path.endswith("/account/login")


def test_a_failed_sign_in_tells_nobody(client, shop, db_session, heard):
    """Wrong password: no event."""
    make_customer(db_session, shop[1])

    assert sign_in(client, shop[1], password="wrong-password-1").status_code == 401
    assert heard == []


def test_registering_tells_the_hooks_it_is_a_new_account(client, shop, db_session, heard):
    """The registration's event says ``registered``."""
    bakery = shop[1]
    response = client.post(
        sf(bakery, "account/register"),
        data={
            "csrf_token": anonymous_csrf(client, bakery),
            "email": "new@example.com",
            "password": PASSWORD,
            "first_name": "Nina",
            "last_name": "Weis",
            "preferred_language": "fr",
        },
        follow_redirects=False,
    )

    assert response.status_code == 303
    assert len(heard) == 1 and heard[0].registered is True and heard[0].store_id == bakery.id


def test_the_api_sign_in_runs_the_hooks_too(client, shop, db_session, heard):
    """``POST api/v1/customers/session`` fires the same event."""
    bakery = shop[1]
    anna = make_customer(db_session, bakery)

    response = client.post(
        sf(bakery, "api/v1/customers/session"),
        json={"email": "anna@example.com", "password": PASSWORD},
        headers={"X-CSRF-Token": anonymous_csrf(client, bakery)},
    )

    assert response.status_code == 200
    assert [event.customer_id for event in heard] == [anna.id]


def test_a_failing_hook_does_not_stop_the_sign_in(client, shop, db_session):
    """The customer is signed in whatever a listener does."""
    bakery = shop[1]
    make_customer(db_session, bakery)

    class Broken:
        def after_login(self, db: Any, event: ShopperLogin) -> None:
            raise RuntimeError("cart is down")

    recorder = Recorder()
    with providers.override(ShopperLoginHook, Broken(), recorder):
        response = sign_in(client, bakery)
    heard = recorder.events

    assert response.status_code == 303
    assert CUSTOMER_COOKIE in response.cookies
    assert len(heard) == 1  # the hook after the broken one still ran
    assert client.get(sf(bakery, "account/?lang=en")).status_code == 200


def test_the_resolver_answers_who_is_signed_in_at_this_store(client, shop, db_session, heard):
    """``current_shopper`` gives the customer of this store's session, else None."""
    bakery, books = shop[1], shop[2]
    anna = make_customer(db_session, bakery, preferred_language="de")
    sign_in(client, bakery)
    cookie = client.cookies.get(CUSTOMER_COOKIE)

    def request_at(store: Any) -> Any:
        info = SimpleNamespace(id=store.id, languages=("fr", "de", "en"), default_language="fr")
        return SimpleNamespace(
            state=SimpleNamespace(store=info, platform=shop[0]),
            cookies={CUSTOMER_COOKIE: cookie},
            query_params={},
        )

    here = current_shopper(request_at(bakery), db_session)
    elsewhere = current_shopper(request_at(books), db_session)

    assert here is not None
    assert (here.customer_id, here.store_id, here.email, here.name, here.language) == (
        anna.id,
        bakery.id,
        "anna@example.com",
        "Anna Muller",
        "de",
    )
    assert elsewhere is None
    assert login_path(request_at(bakery), db_session) == "account/login"


def test_without_a_resolver_nobody_is_signed_in(db_session):
    """Where no enabled module provides accounts: nobody, and no sign-in page."""
    request = SimpleNamespace(state=SimpleNamespace(platform=None))
    with providers.override(ShopperResolver):
        assert current_shopper(request, db_session) is None
        assert login_path(request, db_session) is None
