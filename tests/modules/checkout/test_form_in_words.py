"""The checkout form and review in the shopper's words: the billing block only when it is
needed, countries by name, variant options stored in the shopper's language."""

from __future__ import annotations

import re

from modules.catalog.services import catalog_service
from tests.modules.checkout.conftest import add_to_cart, csrf, first_order, page_form, storefront


def _review(client, platform, store, language: str = "en", **overrides):
    token = client.cookies.get("orion_csrf")
    return client.post(storefront(platform, store, f"checkout/review?lang={language}"),
                       data={"csrf_token": token, **page_form(**overrides)})


def _billing_box(html: str) -> str:
    match = re.search(r'<input type="checkbox" name="billing_same"[^>]*>', html)
    assert match, "no billing_same box"
    return match.group(0)


def test_the_billing_block_is_tied_to_the_box_and_hidden_by_a_script_file(client, shop, make_product):
    platform, store = shop
    make_product(store, "bread", stock=5)
    add_to_cart(client, platform, store, "BREAD", 1)

    page = client.get(storefront(platform, store, "checkout?lang=de")).text
    script = client.get("/static/modules/checkout/storefront/checkout.js")

    box = _billing_box(page)
    assert 'id="checkout-billing-same"' in box and 'aria-controls="checkout-billing"' in box and "checked" in box
    # without JavaScript the block is there, never hidden by the server
    assert '<fieldset id="checkout-billing">' in page
    assert '<script src="/static/modules/checkout/storefront/checkout.js" defer></script>' in page
    assert "onclick" not in page and "onchange=\"" not in page.split("checkout-page")[1]  # no inline handlers
    assert script.status_code == 200 and "javascript" in script.headers["content-type"]
    assert "checkout-billing-same" in script.text and "billing.hidden" in script.text


def test_a_wrong_billing_field_comes_back_with_the_block_shown_and_the_box_unticked(client, shop, make_product):
    platform, store = shop
    make_product(store, "bread", stock=5)
    add_to_cart(client, platform, store, "BREAD", 1)

    response = _review(client, platform, store, language="de", billing_same="0",
                       **{"billing_address.name": "", "billing_address.street": "Rue Y"})

    assert response.status_code == 422
    assert "checked" not in _billing_box(response.text)
    billing = response.text.split('<fieldset id="checkout-billing">')[1].split("</fieldset>")[0]
    assert "field-error" in billing and 'value="Rue Y"' in billing


def test_the_review_names_the_countries(client, shop, make_product):
    platform, store = shop
    make_product(store, "bread", stock=5)
    add_to_cart(client, platform, store, "BREAD", 1)

    reviewed = _review(client, platform, store, language="de", billing_same="0", **{
        "billing_address.name": "Marie Weber", "billing_address.street": "1, rue Neuve",
        "billing_address.postal_code": "1000", "billing_address.city": "Bruxelles",
        "billing_address.country": "BE",
    })

    assert reviewed.status_code == 200, reviewed.text[:300]
    assert "<br>Luxemburg</p>" in reviewed.text and "<br>Belgien</p>" in reviewed.text
    assert "<br>LU</p>" not in reviewed.text and "<br>BE</p>" not in reviewed.text


def test_the_order_keeps_the_option_names_the_shopper_read(client, shop, db_session):
    platform, store = shop
    catalog_service.create_product(
        db_session, store_id=store.id, slug="rye", price_cents=420, vat_rate=300, status="published",
        translations={"en": {"title": "Rye bread", "description": ""}, "de": {"title": "Roggenbrot", "description": ""}},
        variants=[{"sku": "RYE-1", "options": {"weight": "500 g"}, "stock": 5},
                  {"sku": "RYE-2", "options": {"weight": "1 kg", "crust": "dark"}, "price_cents": 780, "stock": 5}],
    )
    token = csrf(client, platform, store)
    added = client.post(storefront(platform, store, "api/v1/cart/lines?lang=de"),
                        json={"sku": "RYE-2", "quantity": 1}, headers={"X-CSRF-Token": token})
    assert added.status_code == 201, added.text

    reviewed = _review(client, platform, store, language="de")
    place_form = reviewed.text.split('class="checkout-place"')[1].split("</form>")[0]
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', place_form))
    placed = client.post(storefront(platform, store, "checkout/place?lang=de"), data=fields, follow_redirects=False)

    assert placed.status_code == 303
    line = first_order(db_session, store.id).lines[0]
    assert line.title == "Roggenbrot (1 kg / dark)"
    assert line.options == {"Gewicht": "1 kg", "Crust": "dark"}
    assert line.shown_options == []  # the title says both already
