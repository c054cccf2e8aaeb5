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


def test_a_staff_password_reset_emails_the_link_in_the_members_language(
    client, db_session, shop, smtp_settings, smtp_server, factories
):
    """A store member asking at the store's sign-in gets one e-mail, in their language, whose
    link opens the form to choose a new password."""
    _platform, store = shop
    factories.staff(store, role="staff", email="lea@bakery.lu", full_name="Léa", language="fr")
    client.get("/store/bakery/forgot")
    client.post("/store/bakery/forgot", data={"email": "lea@bakery.lu", "csrf_token": client.cookies.get("orion_csrf")})

    assert len(smtp_server.messages) == 1
    message = smtp_server.messages[0]
    assert message["To"] == "lea@bakery.lu"
    assert message["Subject"] == "Réinitialisez votre mot de passe pour Bäckerei Dupont"
    body = message.get_body(("plain",)).get_content()
    link = next(word for word in body.split() if "/reset?token=" in word)
    assert link.startswith("http://testserver/store/bakery/reset?token=")
    assert client.get(link.removeprefix("http://testserver")).status_code == 200
