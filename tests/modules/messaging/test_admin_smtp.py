"""Admin: the platform's SMTP settings, the password never shown, and the test email."""

from __future__ import annotations

import pytest

from modules.messaging.services import smtp_service
from modules.messaging.services.smtp_service import password_of

URL = "/admin/messaging/smtp"
PASSWORD = "Tr0ub4dor-&-3-secret"


@pytest.fixture
def admin_csrf(client, factories, shop):
    """A signed-in super admin on English pages."""
    client.cookies.set("orion_lang", "en")
    return factories.login(client, factories.admin(email="admin@example.lu"))


def settings_form(csrf: str, **fields: str) -> dict[str, str]:
    data = {
        "csrf_token": csrf,
        "host": "smtp.example.lu",
        "port": "587",
        "security": "starttls",
        "username": "mailer",
        "password": PASSWORD,
        "from_address": "shop@example.lu",
        "from_name": "Orion",
    }
    data.update(fields)
    return data


def test_an_unconfigured_platform_is_told_what_to_do(client, admin_csrf):
    """The empty state explains the next step; the menu links here."""
    html = client.get(URL).text

    assert "Email is not set up yet" in html
    assert f'<a href="{URL}" class="active">Email sending</a>' in html


def test_the_password_is_saved_but_never_shown(client, admin_csrf, db_session, shop):
    """After saving, no page contains the password; it says "•••• set"."""
    response = client.post(URL, data=settings_form(admin_csrf), follow_redirects=False)
    assert response.status_code == 303

    html = client.get(f"{URL}?done=saved").text
    assert PASSWORD not in html
    assert "•••• set" in html
    db_session.rollback()
    assert password_of(smtp_service.get(db_session, platform_id=shop[0].id)) == PASSWORD
    invalid = client.post(URL, data=settings_form(admin_csrf, port="0"))
    assert invalid.status_code == 422 and PASSWORD not in invalid.text


def test_an_empty_password_field_keeps_the_stored_password(client, admin_csrf, db_session, shop):
    """Editing other fields with the password left empty keeps it; the box clears it; another
    server asks for the password again (the stored one only goes where it was given for)."""
    client.post(URL, data=settings_form(admin_csrf))
    client.post(URL, data=settings_form(admin_csrf, password="", from_name="Bakery mail"))
    db_session.rollback()
    stored = smtp_service.get(db_session, platform_id=shop[0].id)
    assert (stored.from_name, password_of(stored)) == ("Bakery mail", PASSWORD)
    moved = client.post(URL, data=settings_form(admin_csrf, password="", host="mail.example.lu"),
                        headers={"accept-language": "en"})
    assert moved.status_code == 422 and "Type the password again" in moved.text
    db_session.rollback()
    assert smtp_service.get(db_session, platform_id=shop[0].id).host != "mail.example.lu"

    client.post(URL, data=settings_form(admin_csrf, password="", clear_password="1"))
    db_session.rollback()
    assert smtp_service.get(db_session, platform_id=shop[0].id).password == ""


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("host", "", "Enter the SMTP server"),
        ("port", "abc", "between 1 and 65535"),
        ("from_address", "nope", "valid email address"),
        ("security", "magic", "Choose an encryption"),
    ],
)
def test_bad_settings_come_back_with_a_message_and_what_was_typed(client, admin_csrf, field, value, message):
    """422 with the field's message; the other values are kept."""
    response = client.post(URL, data=settings_form(admin_csrf, **{field: value}))

    assert response.status_code == 422
    assert message in response.text
    assert 'value="mailer"' in response.text


def test_the_test_email_reaches_the_smtp_server(client, admin_csrf, smtp_settings, smtp_server):
    """The button sends one email now."""
    response = client.post(
        f"{URL}/test", data={"csrf_token": admin_csrf, "to": "ops@example.lu"}, follow_redirects=False
    )

    assert response.status_code == 303
    assert len(smtp_server.messages) == 1
    assert smtp_server.messages[0]["To"] == "ops@example.lu"
    assert "Test email from" in smtp_server.messages[0]["Subject"]


def test_a_failing_test_email_explains_why_without_the_password(client, admin_csrf, db_session, shop, smtp_server):
    """Server down: the page says the email could not be sent, and hides the password."""
    smtp_service.save(
        db_session, platform_id=shop[0].id, host="127.0.0.1", port=smtp_server.port, security="none",
        username="mailer", password=PASSWORD, from_address="shop@example.lu",
    )
    smtp_server.stop()

    response = client.post(f"{URL}/test", data={"csrf_token": admin_csrf, "to": "ops@example.lu"})

    assert response.status_code == 502
    assert "The email could not be sent" in response.text
    assert PASSWORD not in response.text


def test_store_staff_cannot_open_the_smtp_settings(client, factories, shop):
    """Only platform administrators."""
    factories.login(client, factories.staff(shop[1], role="owner"))

    assert client.get(URL).status_code == 403
