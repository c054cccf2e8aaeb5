"""Messaging listening to the customers module: the password reset email goes out."""

from __future__ import annotations

from modules.customers.services import customer_service


def test_a_password_reset_emails_the_link_in_the_customers_language(db_session, shop, smtp_settings, smtp_server):
    """Asking for a reset sends one Luxembourgish email carrying the link."""
    _platform, store = shop
    customer_service.register(
        db_session, store_id=store.id, email="jang@example.lu", password="a-long-password-1",
        first_name="Jang", last_name="Muller", preferred_language="lb",
    )

    token = customer_service.request_password_reset(db_session, store_id=store.id, email="jang@example.lu")

    assert token
    assert len(smtp_server.messages) == 1
    message = smtp_server.messages[0]
    assert message["Subject"] == "Äert Passwuert bei Bäckerei Dupont zrécksetzen"
    assert token in message.get_body(("plain",)).get_content()
