"""Orders shown in words, in the reader's language: option names, payment method, country and
the number of orders (singular and plural), on the dashboard, the invoice, the packing slip
and the shopper's pages."""

from __future__ import annotations

import html

import pytest

from modules.orders.models.order import visible_options
from tests.modules.orders.conftest import ADDRESS
from tests.modules.orders.test_storefront_account import order_for, sf, signed_in

RYE = {"sku": "RYE-2", "title": "Roggenbrot (1 kg)", "quantity": 1, "unit_price_cents": 780, "vat_rate": 3,
       "options": {"Gewicht": "1 kg"}}
SHIRT = {"sku": "TS-M", "title": "T-Shirt", "quantity": 1, "unit_price_cents": 1500, "vat_rate": 17,
         "options": {"Größe": "M"}}
OLD_STYLE = {"sku": "CAKE-10", "title": "Cake", "quantity": 1, "unit_price_cents": 3900, "vat_rate": 3,
             "options": {"size": "10 people"}}


def text_of(response) -> str:
    assert response.status_code == 200, response.text[:500]
    return html.unescape(response.text)


def test_an_option_the_title_shows_in_brackets_is_not_repeated():
    assert visible_options("Roggenbrot (1 kg)", {"Gewicht": "1 kg"}) == []
    assert visible_options("T-Shirt (M / Rot)", {"Größe": "M", "Farbe": "rot", "Schnitt": "eng"}) == [
        ("Schnitt", "eng")
    ]
    assert visible_options("T-Shirt", {"Größe": "M"}) == [("Größe", "M")]
    # lines stored before option names were translated: the name at least starts with a capital
    assert visible_options("Cake", {"size": "10 people"}) == [("Size", "10 people")]
    assert visible_options("Brot (klein) extra", {"weight": "klein"}) == [("Weight", "klein")]


def test_the_dashboard_detail_shows_options_payment_and_country_in_words(client, shop, owner, place):
    order = place(shop[1], lines=[RYE, SHIRT, OLD_STYLE],
                  addresses={"shipping": ADDRESS, "billing": {**ADDRESS, "country": "BE"}})

    de = text_of(client.get(f"/store/bakery/orders/{order.number}?lang=de"))
    fr = text_of(client.get(f"/store/bakery/orders/{order.number}?lang=fr"))

    assert "Zahlung: Banküberweisung" in de and "bank_transfer" not in de
    assert "Paiement : Virement bancaire" in fr or "Paiement: Virement bancaire" in fr
    assert "Gewicht: 1 kg" not in de  # "Roggenbrot (1 kg)" says it already
    assert "Größe: M" in de and "Size: 10 people" in de
    assert "Luxemburg" in de and "Belgien" in de
    assert "Luxembourg" in fr and "Belgique" in fr
    assert ">LU<" not in de.replace("<br>", "<") and "\n  LU" not in de


def test_the_invoice_and_packing_slip_speak_words_too(client, shop, owner, place):
    order = place(shop[1], lines=[RYE, SHIRT])

    invoice = text_of(client.get(f"/store/bakery/orders/{order.number}/invoice?lang=de"))
    slip = text_of(client.get(f"/store/bakery/orders/{order.number}/packing-slip?lang=de"))

    assert "Banküberweisung" in invoice and "bank_transfer" not in invoice
    assert "Luxemburg" in invoice and "Luxemburg" in slip
    assert "Größe: M" in invoice and "Größe: M" in slip
    assert "Gewicht: 1 kg" not in invoice and "Gewicht: 1 kg" not in slip
    assert "2 Artikel insgesamt" in slip


@pytest.mark.parametrize(
    ("language", "one", "two"),
    [
        ("en", "1 order", "2 orders"),
        ("de", "1 Bestellung", "2 Bestellungen"),
        ("fr", "1 commande", "2 commandes"),
        ("lb", "1 Bestellung", "2 Bestellungen"),
    ],
)
def test_the_dashboard_list_counts_one_order_in_the_singular(client, shop, owner, place, language, one, two):
    place(shop[1])
    single = text_of(client.get(f"/store/bakery/orders?lang={language}"))
    place(shop[1])
    double = text_of(client.get(f"/store/bakery/orders?lang={language}"))

    assert f">{one}<" in single.replace("</p>", "<")
    assert f">{two}<" in double.replace("</p>", "<")


def test_a_packing_slip_of_one_unit_says_so_in_the_singular(client, shop, owner, place):
    order = place(shop[1], lines=[SHIRT])

    assert "1 Artikel am Ganzen" in text_of(client.get(f"/store/bakery/orders/{order.number}/packing-slip?lang=lb"))
    assert "1 article au total" in text_of(client.get(f"/store/bakery/orders/{order.number}/packing-slip?lang=fr"))
    assert "1 item in total" in text_of(client.get(f"/store/bakery/orders/{order.number}/packing-slip?lang=en"))


def test_the_shoppers_pages_show_options_payment_country_and_count_in_words(client, db_session, shop, place):
    from tests.modules.customers.conftest import make_customer

    bakery = shop[1]
    anna = make_customer(db_session, bakery, "anna@example.com", preferred_language="de")
    order = order_for(place, bakery, anna, lines=[RYE, SHIRT])
    order_for(place, bakery, anna)
    signed_in(client, bakery)

    listing = text_of(client.get(sf(bakery, "account/orders?lang=de")))
    detail = text_of(client.get(sf(bakery, f"account/orders/{order.number}?lang=de")))

    assert "2 Bestellungen" in listing
    assert "Banküberweisung" in detail and "bank_transfer" not in detail
    assert "Luxemburg" in detail
    assert "Größe: M" in detail and "Gewicht: 1 kg" not in detail
