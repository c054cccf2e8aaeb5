"""The storefront's language order (REFERENCE.md, Languages): the signed-in customer's
preference, the cookie, the store's own language, the browser's, then French; the language a
shopper picks is kept in the cookie, shown in ``<html lang>``, and leaves them on the same page."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from modules.customers.models import Customer
from orion_server.i18n import LANGUAGE_COOKIE, choose_language
from tests.modules.customers.conftest import make_customer, sf, sign_in

ENGLISH_BROWSER = {"accept-language": "en-GB,en;q=0.9"}


def _lang(page) -> str:
    found = re.search(r'<html lang="([a-z]+)"', page.text)
    assert found, page.text[:200]
    return found.group(1)


def test_the_store_language_comes_before_the_browser_language():
    allowed = ["fr", "de", "en"]
    assert choose_language(allowed=allowed, store_language="fr", accept_language="en") == "fr"
    assert choose_language(allowed=allowed, cookie_language="de", store_language="fr", accept_language="en") == "de"
    assert choose_language(allowed=allowed, user_language="en", store_language="fr") == "en"
    # a store language the store does not offer falls through to the browser's
    assert choose_language(allowed=allowed, store_language="lb", accept_language="en") == "en"


def test_an_english_browser_opening_a_french_store_sees_french(client, shop):
    _platform, bakery, books = shop
    page = client.get(sf(bakery, "account/login"), headers=ENGLISH_BROWSER)
    assert page.status_code == 200 and _lang(page) == "fr"
    assert LANGUAGE_COOKIE not in page.headers.get("set-cookie", "")
    assert _lang(client.get(sf(books, "account/login"), headers=ENGLISH_BROWSER)) == "de"


def test_a_language_the_shopper_picks_is_kept_and_shown(client, shop):
    _platform, bakery, books = shop
    picked = client.get(sf(bakery, "account/login?lang=en"), headers=ENGLISH_BROWSER)
    assert _lang(picked) == "en"
    assert f"{LANGUAGE_COOKIE}=en" in picked.headers["set-cookie"]
    # the cookie keeps it on the next pages, whatever the browser says
    assert _lang(client.get(sf(bakery, "account/register"), headers={"accept-language": "de"})) == "en"
    # a language this store does not offer is not taken from the URL: the store's own stays
    client.cookies.clear()
    assert _lang(client.get(sf(bakery, "account/login?lang=xx"))) == "fr"


def test_the_switcher_stays_on_the_same_page(client, shop):
    _platform, bakery, _books = shop
    page = client.get(sf(bakery, "account/login?next=account/orders"), headers=ENGLISH_BROWSER)
    switcher = re.search(r'<form class="language-switcher"([^>]*)>(.*?)</form>', page.text, re.S)
    assert switcher, "every storefront page has the language switcher"
    assert "action=" not in switcher.group(1)  # a GET form without action reloads this address
    assert '<input type="hidden" name="next" value="account/orders">' in switcher.group(2)
    offered = re.findall(r'<option value="([a-z]+)"', switcher.group(2))
    assert offered == ["fr", "de", "en"]  # the store's languages, not every one Orion has


@pytest.mark.parametrize("cookie", [None, "de"])
def test_a_signed_in_customer_preference_wins(client, shop, db_session, cookie):
    _platform, bakery, _books = shop
    make_customer(db_session, bakery, preferred_language="en")
    assert sign_in(client, bakery).status_code == 303
    if cookie:
        client.cookies.set(LANGUAGE_COOKIE, cookie)
    page = client.get(sf(bakery, "account/"), headers={"accept-language": "fr"})
    assert page.status_code == 200 and _lang(page) == "en"
    assert _lang(client.get(sf(bakery, "account/login"), headers={"accept-language": "fr"})) == "en"


def test_a_signed_in_customer_who_picks_a_language_keeps_it(client, shop, db_session):
    _platform, bakery, _books = shop
    make_customer(db_session, bakery, preferred_language="en")
    assert sign_in(client, bakery).status_code == 303
    assert _lang(client.get(sf(bakery, "account/?lang=de"))) == "de"
    client.cookies.delete(LANGUAGE_COOKIE)
    assert _lang(client.get(sf(bakery, "account/"))) == "de"  # on another device too
    db_session.expire_all()
    assert db_session.scalar(select(Customer.preferred_language)) == "de"


def test_a_customer_of_another_store_does_not_decide(client, shop, db_session):
    _platform, bakery, books = shop
    make_customer(db_session, bakery, preferred_language="en")
    assert sign_in(client, bakery).status_code == 303
    assert _lang(client.get(sf(books, "account/login"), headers=ENGLISH_BROWSER)) == "de"
