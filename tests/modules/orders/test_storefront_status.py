"""The guest's status page: opened with the token of the confirmation e-mail, it shows where the
order stands as staff move it along; without the right token it does not exist."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from sqlalchemy import select

from modules.messaging.models import EmailOutbox
from modules.orders.services import order_service
from orion_server.config import get_settings

GUEST = {"email": "guest@example.lu", "name": "Marie Weber", "language": "fr"}


def status_url(store: Any, order: Any, token: str | None = None) -> str:
    token = order_service.status_token(order) if token is None else token
    return f"/platforms/main/storefront/{store.code}/orders/{order.number}/status?token={token}"


def text_of(response: Any) -> str:
    return html.unescape(response.text)


def test_the_right_token_shows_the_status_lines_and_totals(client, shop, place):
    """A guest's order: status in words, the progress, the lines and the total."""
    bakery = shop[1]
    order = place(bakery, customer=GUEST)

    response = client.get(status_url(bakery, order) + "&lang=en")

    assert response.status_code == 200
    page = text_of(response)
    assert f"Order {order.number}" in page
    assert "Awaiting payment" in page and "We are waiting for your payment" in page
    assert re.search(r'<li class="current" aria-current="step">\s*Order placed', page)
    assert "Pain de campagne" in page and "De Klenge Prënz" in page
    assert "€43.85" in page
    assert 'name="robots" content="noindex"' in page


def test_status_changes_made_by_staff_show_on_the_page(client, db_session, shop, place):
    """Paid, processing, shipped (with its date), delivered: each step as staff make it."""
    bakery = shop[1]
    order = place(bakery, customer=GUEST)
    url = status_url(bakery, order) + "&lang=fr"
    expected = {
        "paid": ("Payée", "Votre paiement est bien arrivé"),
        "processing": ("En préparation", "Nous préparons votre commande"),
        "shipped": ("Expédiée", "Votre commande est en route"),
        "delivered": ("Livrée", "Votre commande a été livrée"),
    }
    for done, (status, (step, sentence)) in enumerate(expected.items(), start=1):
        assert sentence not in text_of(client.get(url))
        order_service.change_status(
            db_session, order_id=order.id, store_id=bakery.id, to=status, actor="staff"
        )
        page = text_of(client.get(url))
        assert sentence in page, status
        current = (
            re.search(r'<li class="current" aria-current="step">\s*([^<\n]+)', page)
            .group(1)
            .strip()
        )
        assert current == step
        assert page.count('<li class="done">') == done
    assert "Expédiée le" in page and "Livrée le" in page


def test_a_cancelled_order_says_so_instead_of_a_progress(client, db_session, shop, place):
    """Cancelled: the status in words with the date, no steps."""
    bakery = shop[1]
    order = place(bakery, customer=GUEST)
    order_service.change_status(
        db_session, order_id=order.id, store_id=bakery.id, to="cancelled", actor="staff"
    )

    page = text_of(client.get(status_url(bakery, order) + "&lang=de"))

    assert "Storniert am" in page and "wurde storniert" in page
    assert "orders-progress" not in page  # the styles are in a static file now, not in the page


@pytest.mark.parametrize("token", ["", "0" * 40, "nonsense"])
def test_a_wrong_or_missing_token_is_a_404_page(client, shop, place, token):
    """Without the right token the order does not exist (a page, not a server error)."""
    bakery = shop[1]
    order = place(bakery, customer=GUEST)

    response = client.get(status_url(bakery, order, token) + "&lang=en")

    assert response.status_code == 404
    assert "Pain de campagne" not in response.text
    assert (
        client.get(f"/platforms/main/storefront/bakery/orders/{order.number}/status").status_code
        == 404
    )


def test_the_token_of_another_stores_order_opens_nothing_here(client, shop, other_shop, place):
    """The bookshop's order with its own token is not found at the bakery."""
    order = place(other_shop, customer=GUEST)

    url = status_url(shop[1], order)

    assert client.get(url).status_code == 404
    assert client.get(status_url(other_shop, order)).status_code == 200


def test_the_language_switcher_keeps_the_token(client, shop, place):
    """Changing the language on the status page keeps the link working."""
    bakery = shop[1]
    order = place(bakery, customer=GUEST)

    page = client.get(status_url(bakery, order)).text

    assert f'<input type="hidden" name="token" value="{order_service.status_token(order)}">' in page


def test_the_confirmation_email_links_to_a_working_status_page(
    client, db_session, shop, place
):
    """The e-mail holds the absolute link of the status page; following it shows the order."""
    bakery = shop[1]
    order = place(bakery, customer=GUEST)

    db_session.expire_all()
    email = db_session.scalar(select(EmailOutbox).where(EmailOutbox.code == "order_confirmation"))
    assert email is not None
    base = get_settings().base_url
    link = re.search(re.escape(base) + r"(/\S+/status\?token=\w+)", email.body_text).group(1)
    assert link == status_url(bakery, order)
    assert "Suivez votre commande ici" in email.body_text
    assert f'href="{base}{link}"' in email.body_html

    response = client.get(link)
    assert response.status_code == 200
    assert order.number in response.text and "Pain de campagne" in response.text
