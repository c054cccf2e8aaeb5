"""The checkout pages, like a shopper: cart -> checkout -> review -> place -> confirmation."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from modules.customers.models import Customer
from modules.orders.services import order_service
from tests.modules.checkout.conftest import (
    add_to_cart,
    counts,
    csrf,
    first_order,
    level,
    page_form,
    storefront,
)


def hidden(html: str, name: str) -> str:
    match = re.search(rf'name="{re.escape(name)}" value="([^"]*)"', html)
    assert match, f"no hidden field {name}"
    return match.group(1)


def review(client, platform, store, **overrides):
    token = client.cookies.get("orion_csrf")
    return client.post(storefront(platform, store, "checkout/review?lang=en"),
                       data={"csrf_token": token, **page_form(**overrides)})


def place_from(client, platform, store, review_html: str, **extra):
    """Post the review page's place form as the browser would."""
    fields = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', review_html.split('class="checkout-place"')[1].split("</form>")[0])
    data = {name: value for name, value in fields}
    data.update(extra)
    return client.post(storefront(platform, store, "checkout/place?lang=en"), data=data, follow_redirects=False)


def test_a_guest_pays_by_bank_transfer_from_cart_to_confirmation(client, shop, make_product, db_session):
    platform, store = shop
    make_product(store, "bread", price=1170, stock=10, title="Country bread")
    make_product(store, "book", price=515, stock=10, vat=300, title="Little Prince")
    add_to_cart(client, platform, store, "BREAD", 2)
    add_to_cart(client, platform, store, "BOOK", 3)

    cart_page = client.get(storefront(platform, store, "cart?lang=en"))
    assert 'href="/platforms/lux/storefront/bakery/checkout"' in cart_page.text
    form = client.get(storefront(platform, store, "checkout?lang=en"))
    assert form.status_code == 200
    assert "Pickup at the store" in form.text and "Bank transfer" in form.text and "Country bread" in form.text

    reviewed = review(client, platform, store)
    assert reviewed.status_code == 200
    assert "Check your order" in reviewed.text
    assert 'id="review-total">€44.75<' in reviewed.text
    assert 'data-rate="17"' in reviewed.text and 'data-rate="3"' in reviewed.text
    assert "€15.00" in reviewed.text and "€0.45" in reviewed.text  # net and VAT at 3 %

    placed = place_from(client, platform, store, reviewed.text)
    assert placed.status_code == 303
    order = first_order(db_session, store.id)
    assert placed.headers["location"] == storefront(
        platform, store, f"checkout/done/{order.number}?token={order_service.status_token(order)}"
    )
    done = client.get(placed.headers["location"])
    assert done.status_code == 200
    assert "BAK-000001" in done.text and "€44.75" in done.text
    assert "LU280019400644750000" in done.text and "Bakery SARL" in done.text
    assert order_service.status_path(order).replace("?", "?") in done.text.replace("&amp;", "&")

    assert (order.total_cents, order.shipping_cents, order.subtotal_cents) == (4475, 590, 3885)
    assert order.vat_breakdown == {"17": {"net": 2504, "vat": 426, "gross": 2930},
                                   "3": {"net": 1500, "vat": 45, "gross": 1545}}
    assert order.status == "pending_payment" and order.payment_method_code == "bank_transfer"
    assert db_session.get(Customer, order.customer_id).email == "marie@example.lu"
    assert level(db_session, store.id, "BREAD") == (10, 2) and level(db_session, store.id, "BOOK") == (10, 3)
    assert counts(db_session, store.id) == (1, 1, 1)
    assert "Your cart is empty" in client.get(storefront(platform, store, "cart?lang=en")).text

    # Back and "Place order" again: the same order, nothing new.
    again = place_from(client, platform, store, reviewed.text)
    assert again.headers["location"] == placed.headers["location"]
    assert counts(db_session, store.id) == (1, 1, 1)


def test_the_confirmation_needs_the_order_s_token(client, shop, make_product, db_session):
    platform, store = shop
    make_product(store, "bread", stock=5)
    add_to_cart(client, platform, store, "BREAD", 1)
    placed = place_from(client, platform, store, review(client, platform, store).text)
    assert placed.status_code == 303

    assert client.get(storefront(platform, store, "checkout/done/BAK-000001?lang=en")).status_code == 404
    assert client.get(storefront(platform, store, "checkout/done/BAK-000001?token=forged")).status_code == 404


def test_bad_fields_come_back_with_messages_and_the_input_kept(client, shop, make_product, db_session):
    platform, store = shop
    make_product(store, "bread", stock=5)
    add_to_cart(client, platform, store, "BREAD", 1)

    response = review(client, platform, store, email="marie(at)example", **{"address.city": "", "address.street": "Rue X"})

    assert response.status_code == 422
    assert 'id="e-email"' in response.text and "valid e-mail" in response.text
    assert 'id="e-address.city"' in response.text
    assert 'value="marie(at)example"' in response.text and 'value="Rue X"' in response.text
    assert counts(db_session, store.id) == (0, 0, 0)


class Elements(HTMLParser):
    """Every element with an id (its attributes), and the text of each."""

    def __init__(self) -> None:
        super().__init__()
        self.by_id: dict[str, dict[str, str | None]] = {}
        self.text: dict[str, str] = {}
        self.named: dict[str, list[dict[str, str | None]]] = {}
        self._open: list[str] = []

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        if found.get("id"):
            self.by_id[found["id"]] = {"tag": tag, **found}
            self.text[found["id"]] = ""
            self._open.append(found["id"])
        if tag == "input" and found.get("name"):
            self.named.setdefault(found["name"], []).append(found)

    def handle_endtag(self, tag):
        if self._open and self.by_id[self._open[-1]]["tag"] == tag:
            self._open.pop()

    def handle_data(self, data):
        for key in self._open:
            self.text[key] += data


def test_field_errors_are_announced_and_tied_to_their_fields(client, shop, make_product, db_session):
    """A screen reader hears the summary (role=alert) and, on each field to fix, its own message:
    the input is aria-invalid and aria-describedby names the message's element."""
    platform, store = shop
    make_product(store, "bread", stock=5)
    add_to_cart(client, platform, store, "BREAD", 1)

    response = review(client, platform, store, email="marie(at)example", shipping_method="",
                      payment_method="", **{"address.city": ""})

    assert response.status_code == 422
    page = Elements()
    page.feed(response.text)
    assert page.by_id["checkout-errors"]["role"] == "alert"
    for field in ("email", "address.city"):
        element = page.by_id[f"f-{field}"]
        assert element["aria-invalid"] == "true", field
        described = element["aria-describedby"].split()
        assert f"e-{field}" in described, field
        assert page.text[f"e-{field}"].strip(), field
    assert "valid e-mail" in page.text["e-email"]
    # the radio groups: every choice is tied to the group's message
    for group in ("shipping_method", "payment_method"):
        radios = page.named[group]
        assert radios and all(r["aria-invalid"] == "true" and r["aria-describedby"] == f"e-{group}"
                              for r in radios), group
        assert page.text[f"e-{group}"].strip(), group
    # a field without a mistake carries no error state
    assert "aria-invalid" not in page.by_id["f-first_name"]
    assert "aria-describedby" not in page.by_id["f-first_name"]


def test_pages_speak_german(client, shop, make_product):
    platform, store = shop
    make_product(store, "bread", stock=5)
    add_to_cart(client, platform, store, "BREAD", 1)

    page = client.get(storefront(platform, store, "checkout?lang=de"))

    assert "Abholung im Geschäft" in page.text and "Bestellung prüfen" in page.text


def test_an_empty_cart_gets_a_friendly_page_back_to_the_shop(client, shop):
    platform, store = shop
    csrf(client, platform, store)

    page = client.get(storefront(platform, store, "checkout?lang=en"))

    assert page.status_code == 200
    assert 'id="checkout-empty"' in page.text and "Discover our products" in page.text


def test_a_price_changed_after_the_review_shows_the_review_again(client, shop, make_product, db_session):
    platform, store = shop
    product = make_product(store, "bread", price=350, stock=5)
    add_to_cart(client, platform, store, "BREAD", 2)
    reviewed = review(client, platform, store, shipping_method="pickup")
    product.price_cents = 420
    db_session.commit()

    response = place_from(client, platform, store, reviewed.text)

    assert response.status_code == 409
    assert "Check your order" in response.text and "changed from €3.50 to €4.20" in response.text
    assert 'id="review-total">€8.40<' in response.text
    assert counts(db_session, store.id) == (0, 0, 0)
    placed = place_from(client, platform, store, response.text)
    assert placed.status_code == 303
    db_session.rollback()
    assert first_order(db_session, store.id).total_cents == 840


def test_out_of_stock_at_placing_names_the_product(client, shop, make_product, db_session):
    """The last units go to another buyer between the review and the click."""
    from modules.inventory.services import inventory_service

    platform, store = shop
    make_product(store, "cake", price=1200, stock=3, title="Chocolate cake")
    add_to_cart(client, platform, store, "CAKE", 2)
    reviewed = review(client, platform, store)
    inventory_service.reserve(db_session, store_id=store.id, lines=[("CAKE", 3)], reference="other-buyer")

    response = place_from(client, platform, store, reviewed.text)

    assert response.status_code in (200, 409)
    assert "Chocolate cake" in response.text and ("sold out" in response.text or "not enough" in response.text)
    assert counts(db_session, store.id)[0] == 0


def test_a_signed_in_customer_gets_the_saved_address_offered(client, shop, make_product, db_session):
    from modules.customers.services import customer_service

    platform, store = shop
    make_product(store, "bread", price=8000, stock=5)
    customer = customer_service.register(
        db_session, store_id=store.id, email="jean@example.lu", password="a-long-password-1",
        first_name="Jean", last_name="Muller", phone="", preferred_language="en",
    )
    address = customer_service.add_address(
        db_session, store_id=store.id, customer_id=customer.id,
        values={"name": "Jean Muller", "street": "1, Grand-Rue", "postal_code": "L-1660", "city": "Luxembourg", "country": "LU"},
    )
    token = csrf(client, platform, store)
    client.post(storefront(platform, store, "account/login?lang=en"),
                data={"csrf_token": token, "email": "jean@example.lu", "password": "a-long-password-1"})
    add_to_cart(client, platform, store, "BREAD", 1)

    form = client.get(storefront(platform, store, "checkout?lang=en"))
    assert "1, Grand-Rue" in form.text and f'value="{address.id}" checked' in form.text
    assert 'value="jean@example.lu"' in form.text

    token = client.cookies.get("orion_csrf")
    fields = page_form(email="jean@example.lu", first_name="Jean", last_name="Muller", address_id=str(address.id),
                       **{"address.name": "", "address.street": ""})
    reviewed = client.post(storefront(platform, store, "checkout/review?lang=en"), data={"csrf_token": token, **fields})
    assert reviewed.status_code == 200, reviewed.text
    assert "1, Grand-Rue" in reviewed.text
    assert 'id="review-shipping">Free<' in reviewed.text  # 80 € is above the 75 € threshold
    placed = place_from(client, platform, store, reviewed.text)
    assert placed.status_code == 303
    order = first_order(db_session, store.id)
    assert order.customer_id == customer.id and order.shipping_cents == 0
    assert order.shipping_address["street"] == "1, Grand-Rue"
