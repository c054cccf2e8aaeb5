"""Store dashboard: editing email templates with a preview, and staff notifications."""

from __future__ import annotations

import pytest

from modules.messaging.services import email_service, notification_service
from tests.modules.messaging.conftest import ORDER_VARIABLES

BASE = "/store/bakery/messages/templates"


def form(csrf: str, action: str = "save", **fields: str) -> dict[str, str]:
    data = {
        "csrf_token": csrf,
        "action": action,
        "subject": "Danke für Bestellung {{ order_number }}",
        "body_html": "<p>Hallo {{ customer_name }}, Nr. {{ order_number }}: {{ total_cents|money }}</p>",
        "body_text": "Hallo {{ customer_name }}, Nr. {{ order_number }}",
    }
    data.update(fields)
    return data


def test_the_template_list_shows_every_email_in_every_language(client, owner):
    """Codes × languages, each with an edit link; the menu links here."""
    html = client.get(BASE).text

    assert "Order confirmation" in html and "Password reset" in html and "Welcome" in html
    assert f'href="{BASE}/order_confirmation/de"' in html
    assert f'href="{BASE}/welcome/lb"' in html
    assert f'<a href="{BASE}" class="active">Email templates</a>' in html
    assert 'href="/store/bakery/notifications"' in html


def test_the_editor_previews_the_template_with_sample_values(client, owner):
    """The German order confirmation's preview shows the sample order."""
    html = client.get(f"{BASE}/order_confirmation/de").text

    assert "Ihre Bestellung 2026-0042 bei Boulangerie Dupont" in html
    assert "<iframe sandbox" in html
    assert "12,90" in html


def test_preview_renders_what_was_typed_without_saving(client, owner, db_session, shop):
    """The preview button shows the typed template and stores nothing."""
    response = client.post(f"{BASE}/order_confirmation/de", data=form(owner, "preview"))

    assert response.status_code == 200
    assert "Danke für Bestellung 2026-0042" in response.text
    db_session.rollback()
    assert email_service.origins(db_session, platform_id=shop[0].id, store_id=shop[1].id)[("order_confirmation", "de")] == "builtin"


def test_an_unknown_variable_is_refused_with_a_message_and_the_text_is_kept(client, owner):
    """422, the message names the variable, the typed subject comes back."""
    response = client.post(
        f"{BASE}/order_confirmation/de", data=form(owner, subject="Hi {{ password }} {{ order_number }}")
    )

    assert response.status_code == 422
    assert "Unknown variable: password" in response.text
    assert "Hi {{ password }} {{ order_number }}" in response.text


def test_a_syntax_error_is_refused_with_its_line(client, owner):
    """A broken tag is a 422 explaining where."""
    response = client.post(f"{BASE}/order_confirmation/de", data=form(owner, body_text="{% if %}"))

    assert response.status_code == 422
    assert "syntax error on line 1" in response.text


def test_a_saved_template_is_used_for_the_stores_emails_until_reset(client, owner, db_session, shop):
    """Saving overrides the built-in text; resetting brings it back."""
    platform, store = shop
    response = client.post(f"{BASE}/order_confirmation/de", data=form(owner), follow_redirects=False)
    assert response.status_code == 303
    assert "Your version" in client.get(f"{BASE}?done=saved").text

    db_session.rollback()
    subject, _html, _text = email_service.render(
        db_session, platform_id=platform.id, store_id=store.id, code="order_confirmation", language="de",
        variables=ORDER_VARIABLES,
    )
    assert subject == "Danke für Bestellung B-1001"

    client.post(f"{BASE}/order_confirmation/de/reset", data={"csrf_token": owner})
    db_session.rollback()
    subject, _html, _text = email_service.render(
        db_session, platform_id=platform.id, store_id=store.id, code="order_confirmation", language="de",
        variables=ORDER_VARIABLES,
    )
    assert subject.startswith("Ihre Bestellung")


def test_an_unknown_template_or_language_is_404(client, owner):
    """Only real codes and supported languages exist."""
    assert client.get(f"{BASE}/nope/de").status_code == 404
    assert client.get(f"{BASE}/welcome/es").status_code == 404


def test_staff_of_another_store_get_404_for_this_stores_templates(client, factories, shop, db_session):
    """Tenant isolation: another store's template pages do not exist for them."""
    platform, _store = shop
    other = factories.store(platform, code="other-shop")
    csrf = factories.login(client, factories.staff(other, role="owner"))

    assert client.get(BASE).status_code == 404
    assert client.get(f"{BASE}/welcome/de").status_code == 404
    assert client.post(f"{BASE}/welcome/de", data=form(csrf)).status_code == 404
    assert client.get("/store/other-shop/messages/templates").status_code == 200


def test_staff_without_the_permission_may_not_edit_templates(client, factories, shop):
    """messaging.templates.manage is needed."""
    factories.login(client, factories.staff(shop[1], permissions=["messaging.view"]))

    assert client.get(BASE).status_code == 403
    assert client.get("/store/bakery/notifications").status_code == 200


def test_an_empty_notification_list_says_there_is_nothing_to_do(client, owner):
    """The empty state explains what will appear."""
    html = client.get("/store/bakery/notifications").text

    assert "No notifications" in html
    assert "New orders and low stock will show up here." in html


def test_notifications_are_listed_and_marked_read(client, owner, db_session, shop):
    """A new order notification shows, links, and can be marked read."""
    note = notification_service.notify_staff(
        db_session, store_id=shop[1].id, kind="new_order", title="Order B-1001", link="/store/bakery/orders/1"
    )
    html = client.get("/store/bakery/notifications").text
    assert "New order" in html and 'href="/store/bakery/orders/1"' in html and "Unread: 1" in html

    response = client.post(
        f"/store/bakery/notifications/{note.id}/read", data={"csrf_token": owner}, follow_redirects=False
    )

    assert response.status_code == 303
    db_session.rollback()
    assert notification_service.unread_count(db_session, store_id=shop[1].id) == 0


def test_mark_all_read_and_pagination(client, owner, db_session, shop):
    """25 notifications span two pages; mark all read clears the count."""
    for n in range(25):
        notification_service.notify_staff(db_session, store_id=shop[1].id, kind="low_stock", title=f"Low {n:02d}")

    first = client.get("/store/bakery/notifications").text
    second = client.get("/store/bakery/notifications?page=2").text
    assert "Low 24" in first and "Low 00" not in first
    assert "Low 00" in second and "2 / 2" in second

    client.post("/store/bakery/notifications/read-all", data={"csrf_token": owner})
    db_session.rollback()
    assert notification_service.unread_count(db_session, store_id=shop[1].id) == 0


def test_another_stores_notification_cannot_be_marked_read(client, owner, db_session, factories, shop):
    """Tenant isolation: 404 and the notification stays unread."""
    other = factories.store(shop[0], code="other-shop")
    note = notification_service.notify_staff(db_session, store_id=other.id, kind="new_order", title="Theirs")

    response = client.post(f"/store/bakery/notifications/{note.id}/read", data={"csrf_token": owner})

    assert response.status_code == 404
    db_session.rollback()
    assert notification_service.unread_count(db_session, store_id=other.id) == 1
    assert "Theirs" not in client.get("/store/bakery/notifications").text


@pytest.mark.parametrize("link", ["https://evil.example/x", "javascript:alert(1)"])
def test_notifications_only_link_inside_the_site(db_session, shop, link):
    """An outside link is refused."""
    from orion_server.errors import ValidationError

    with pytest.raises(ValidationError):
        notification_service.notify_staff(db_session, store_id=shop[1].id, kind="x", title="t", link=link)
