"""The store dashboard's Letzshop page: feed addresses, last run, write now, new token."""

from __future__ import annotations

import re

from modules.marketplace.services import feed_service
from tests.modules.marketplace.conftest import feed_url, parse_feed

PAGE = "/store/bakery/marketplace"


def test_the_page_shows_an_address_per_language_and_the_menu_links_to_it(client, db_session, shop, owner):
    platform, store = shop
    html = client.get(f"{PAGE}?lang=en").text

    token = feed_service.status(db_session, store_id=store.id).token
    for language in ("en", "fr", "de"):
        assert f'value="http://testserver{feed_url(platform, store, token, language)}"' in html
    assert f'<a href="{PAGE}" class="active">Letzshop</a>' in html
    assert "Not yet" in html and "Write the feed now" in html


def test_writing_now_fills_in_the_time_and_the_row_count(client, db_session, factories, shop, owner):
    _platform, store = shop
    factories.product(store, "tarte", price=2190, stock=3)
    factories.product(store, "pain", price=340, stock=1)

    response = client.post(f"{PAGE}/regenerate?lang=en", data={"csrf_token": owner}, follow_redirects=True)

    assert response.status_code == 200
    assert "The feed is being written." in response.text
    assert re.search(r'id="row-count">2<', response.text)
    assert "Not yet" not in response.text and "Up to date" in response.text


def test_a_new_token_retires_the_old_addresses(client, db_session, factories, shop, owner):
    platform, store = shop
    factories.product(store, "tarte", price=2190, stock=3)
    old = feed_service.status(db_session, store_id=store.id).token
    assert client.get(feed_url(platform, store, old)).status_code == 200

    response = client.post(f"{PAGE}/token?lang=de", data={"csrf_token": owner}, follow_redirects=True)

    assert "Der Feed hat neue Adressen" in response.text
    db_session.expire_all()
    new = feed_service.status(db_session, store_id=store.id).token
    assert new != old and new in response.text
    assert client.get(feed_url(platform, store, old)).status_code == 404
    assert [row["id"] for row in parse_feed(client.get(feed_url(platform, store, new)).text)[1]] == ["TARTE"]


def test_the_page_is_translated(client, shop, owner):
    assert "Feed-Adressen" in client.get(f"{PAGE}?lang=de").text
    assert "Adresses du flux" in client.get(f"{PAGE}?lang=fr").text
    assert "Feed elo schreiwen" in client.get(f"{PAGE}?lang=lb").text


def test_staff_without_the_permission_are_refused(client, factories, shop):
    _platform, store = shop
    csrf = factories.login(client, factories.staff(store, permissions=["catalog.view"]))

    assert client.get(PAGE).status_code == 403
    assert client.post(f"{PAGE}/regenerate", data={"csrf_token": csrf}).status_code == 403
    assert client.post(f"{PAGE}/token", data={"csrf_token": csrf}).status_code == 403
