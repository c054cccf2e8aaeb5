"""The product page's buy form puts the product in the cart."""

from __future__ import annotations

from tests.modules.cart.conftest import storefront


def test_product_page_form_adds_the_product_to_the_cart(client, shop, make_product):
    """A shopper picks a quantity on the product page and finds it in the cart."""
    platform, store = shop
    make_product(store, "baguette", price=290, stock=8, title="Baguette")
    page = client.get(storefront(platform, store, "products/baguette?lang=en"))
    assert page.status_code == 200
    assert 'action="/platforms/lux/storefront/bakery/cart/add"' in page.text
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    added = client.post(
        storefront(platform, store, "cart/add"),
        data={"csrf_token": token, "sku": "BAGUETTE", "quantity": "2", "next": "products/baguette"},
        follow_redirects=False,
    )
    assert added.status_code == 303
    cart = client.get(storefront(platform, store, "cart?lang=en"))
    assert "Baguette" in cart.text and "Cart (2)" in cart.text


def test_out_of_stock_product_has_no_buy_form(client, shop, make_product):
    """Nothing to add when nothing is left."""
    platform, store = shop
    make_product(store, "croissant", stock=0, title="Croissant")
    page = client.get(storefront(platform, store, "products/croissant?lang=en"))
    assert "cart/add" not in page.text
