"""The store dashboard: stock list, search and filter, adjusting, an item's history."""

from __future__ import annotations

import re

from modules.inventory.services import inventory_service

BASE = "/store/bakery/inventory"


def _item_url(html: str, sku: str) -> str:
    match = re.search(rf'href="({BASE}/items/\d+)"><code>{sku}</code>', html)
    assert match, f"no link to {sku}"
    return match.group(1)


def test_signed_out_visitors_are_sent_to_the_store_login(client, shop):
    """The stock list needs a signed-in member of the store."""
    response = client.get(BASE, follow_redirects=False)

    assert response.status_code == 303
    assert response.headers["location"].startswith("/store/bakery/login")


def test_an_empty_store_is_told_what_to_do_next(client, owner_csrf):
    """Without stock, the page explains where items come from and offers to record a delivery."""
    html = client.get(BASE).text

    assert "No stock is tracked yet." in html
    assert "record a first delivery below" in html
    assert f'action="{BASE}/receive"' in html


def test_the_store_menu_links_to_the_inventory(client, owner_csrf):
    """The dashboard menu has an active "Inventory" entry."""
    html = client.get(BASE).text

    assert f'<a href="{BASE}" class="active">Inventory</a>' in html


def test_the_list_searches_filters_and_paginates(client, stock, owner_csrf):
    """Search by SKU, "low stock only" and pages of 25 items."""
    for n in range(30):
        stock(f"ROLL-{n:02d}", 5)
    stock("CAKE-1", 1, threshold=2)

    first = client.get(BASE).text
    second = client.get(f"{BASE}?page=2").text
    found = client.get(f"{BASE}?q=cake").text
    low = client.get(f"{BASE}?low=1").text
    none = client.get(f"{BASE}?q=zzz").text

    assert "31 items" in first and "ROLL-23" in first and "ROLL-24" not in first
    assert "1 / 2" in first and f'href="{BASE}?page=2"' in first
    assert "ROLL-29" in second
    assert "CAKE-1" in found and "ROLL-01" not in found
    assert "CAKE-1" in low and "ROLL-01" not in low and "Low stock" in low
    assert "No item matches this search." in none


def test_staff_adjust_stock_and_see_it_in_the_history(client, stock, owner_csrf):
    """The adjust form records the change and the item's page lists the movement."""
    stock("BREAD", 10)
    item_url = _item_url(client.get(BASE).text, "BREAD")

    response = client.post(
        f"{item_url}/adjust",
        data={"csrf_token": owner_csrf, "quantity": "-4", "reason": "correction", "note": "stock take"},
        follow_redirects=False,
    )

    assert response.status_code == 303
    assert response.headers["location"] == f"{item_url}?done=adjusted"
    html = client.get(f"{item_url}?done=adjusted").text
    assert "The stock change was recorded." in html
    assert '<strong id="on-hand">6</strong>' in html
    assert "Count correction" in html and "stock take" in html and "Delivery received" in html


def test_an_impossible_adjustment_comes_back_with_a_message_and_the_input(client, stock, owner_csrf):
    """Removing more than is on hand re-renders the form (422) with the message and what was typed."""
    stock("BREAD", 3)
    item_url = _item_url(client.get(BASE).text, "BREAD")

    response = client.post(
        f"{item_url}/adjust",
        data={"csrf_token": owner_csrf, "quantity": "-5", "reason": "adjustment", "note": "broken bag"},
    )

    assert response.status_code == 422
    assert 'id="e-quantity"' in response.text
    assert "cannot go below zero: only 3 units are on hand" in response.text
    assert 'value="-5"' in response.text and 'value="broken bag"' in response.text


def test_messages_follow_the_dashboard_language(client, stock, owner_csrf):
    """In a German dashboard the field message is German."""
    stock("BREAD", 3)
    item_url = _item_url(client.get(BASE).text, "BREAD")

    response = client.post(
        f"{item_url}/adjust?lang=de", data={"csrf_token": owner_csrf, "quantity": "0", "reason": "adjustment"}
    )

    assert response.status_code == 422
    assert "Geben Sie eine Menge ungleich 0 ein." in response.text


def test_recording_a_delivery_creates_the_item(client, owner_csrf):
    """The delivery form adds a new SKU with its threshold and opens its page."""
    response = client.post(
        f"{BASE}/receive",
        data={"csrf_token": owner_csrf, "sku": "NEW-1", "quantity": "12", "threshold": "4"},
    )

    assert response.status_code == 200
    assert "The delivery was added to the stock." in response.text
    assert '<strong id="on-hand">12</strong>' in response.text
    assert 'value="4"' in response.text


def test_a_bad_delivery_keeps_what_was_typed(client, owner_csrf):
    """A missing SKU and a zero quantity re-render the list with the message (422)."""
    response = client.post(
        f"{BASE}/receive", data={"csrf_token": owner_csrf, "sku": "", "quantity": "3", "threshold": "2"}
    )

    assert response.status_code == 422
    assert "Enter the SKU." in response.text
    assert 'value="3"' in response.text


def test_the_threshold_can_be_set_and_cleared(client, db_session, shop, stock, owner_csrf):
    """The threshold form saves a number, refuses a negative one and clears on empty."""
    item = stock("BREAD", 3)
    item_url = f"{BASE}/items/{item.id}"

    saved = client.post(f"{item_url}/threshold", data={"csrf_token": owner_csrf, "threshold": "5"})
    refused = client.post(f"{item_url}/threshold", data={"csrf_token": owner_csrf, "threshold": "-1"})

    assert saved.status_code == 200 and "Low stock" in saved.text
    assert refused.status_code == 422 and 'id="e-threshold"' in refused.text
    client.post(f"{item_url}/threshold", data={"csrf_token": owner_csrf, "threshold": ""})
    assert inventory_service.get_item(db_session, store_id=shop.id, item_id=item.id).low_stock_threshold is None


def test_viewers_see_stock_but_no_forms(client, factories, shop, stock):
    """Without inventory.adjust the pages show no forms and posting is forbidden."""
    item = stock("BREAD", 3)
    client.cookies.set("orion_lang", "en")
    csrf = factories.login(client, factories.staff(shop, permissions=["inventory.view"]))

    html = client.get(f"{BASE}/items/{item.id}").text
    refused = client.post(
        f"{BASE}/items/{item.id}/adjust", data={"csrf_token": csrf, "quantity": "1", "reason": "receipt"}
    )

    assert "Delivery received" in html and 'id="adjust"' not in html
    assert refused.status_code == 403


def test_another_stores_item_is_not_found(client, factories, other_shop, stock):
    """Staff of "books" get 404 for the bakery's item, through either store's URL."""
    item = stock("BREAD", 3)
    csrf = factories.login(client, factories.staff(other_shop, role="owner"))

    assert client.get(f"{BASE}/items/{item.id}").status_code == 404
    assert client.get(f"/store/books/inventory/items/{item.id}").status_code == 404
    stolen = client.post(
        f"/store/books/inventory/items/{item.id}/adjust",
        data={"csrf_token": csrf, "quantity": "-1", "reason": "adjustment"},
    )
    assert stolen.status_code == 404
