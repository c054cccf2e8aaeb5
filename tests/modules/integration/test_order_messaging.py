"""Orders -> messaging: a new order e-mails its confirmation and tells the store's staff."""

from __future__ import annotations

from sqlalchemy import select

from modules.contracts.events import OrderPlaced
from modules.messaging.listeners import send_order_confirmation
from modules.messaging.models import EmailOutbox, Notification
from modules.orders.services import order_service
from orion_server.testing.events import announced


def _emails(db) -> list[EmailOutbox]:
    db.expire_all()
    return list(db.scalars(select(EmailOutbox).order_by(EmailOutbox.id)))


def test_a_new_order_queues_one_confirmation_in_the_customers_language(db_session, shop, place):
    """The confirmation goes to the snapshot's address, in German, with the number and lines."""
    order = place(shop[1], idempotency_key="cart-1")
    place(shop[1], idempotency_key="cart-1")  # the same order sent again

    emails = _emails(db_session)
    assert len(emails) == 1
    email = emails[0]
    assert (email.code, email.to_address, email.language) == ("order_confirmation", "marie@example.lu", "de")
    assert email.dedupe_key == f"order:{order.id}:confirmation"
    assert order.number in email.subject
    assert "Baguette tradition" in email.body_text and "Marie Weber" in email.body_text


def test_the_confirmation_is_queued_once_even_when_the_listener_runs_again(db_session, shop, place):
    """A replayed creation event finds the confirmation by its dedupe key."""
    place(shop[1])
    [event] = announced(db_session, OrderPlaced)

    send_order_confirmation(db_session, event)
    db_session.commit()

    assert len(_emails(db_session)) == 1


def test_status_changes_after_creation_send_no_confirmation(db_session, shop, place):
    """Only the creation queues the confirmation and tells the staff."""
    order = place(shop[1])

    order_service.change_status(db_session, order_id=order.id, store_id=shop[1].id, to="paid")

    assert [e.code for e in _emails(db_session)] == ["order_confirmation", "payment_received"]
    assert db_session.scalar(select(Notification.id).where(Notification.kind == "new_order").offset(1)) is None


def test_staff_see_the_new_order_on_their_notifications_page_with_a_link(client, db_session, shop, owner, place):
    """The notifications page lists the order; its link opens the order in the dashboard."""
    order = place(shop[1])

    page = client.get("/store/bakery/notifications?lang=fr").text

    assert f"Nouvelle commande {order.number}" in page
    assert f'href="/store/bakery/orders/{order.number}"' in page
    assert client.get(f"/store/bakery/orders/{order.number}").status_code == 200


def test_another_stores_staff_do_not_see_the_notification(client, factories, db_session, shop, place):
    """The notification belongs to the bakery only."""
    order = place(shop[1])
    factories.login(client, factories.staff(shop[2], role="owner"))

    page = client.get("/store/books/notifications?lang=fr").text

    assert order.number not in page


def test_a_failing_notification_neither_breaks_the_order_nor_the_email(client, db_session, shop, owner, place, monkeypatch):
    """Messaging failing is logged: the order exists and its confirmation is still queued."""

    def broken(*args, **kwargs):
        raise RuntimeError("messaging is down")

    from modules.messaging.services import notification_service

    monkeypatch.setattr(notification_service, "notify_staff", broken)

    order = place(shop[1])

    assert order.id is not None
    assert len(_emails(db_session)) == 1
    assert order.number in client.get("/store/bakery/orders?lang=en").text


def test_an_order_without_email_still_tells_the_staff(db_session, shop, place):
    """No address, no e-mail; the staff are notified anyway."""
    place(shop[1], customer={"name": "Walk-in", "language": "fr"})

    assert _emails(db_session) == []
    assert db_session.scalar(select(Notification.kind)) == "new_order"
