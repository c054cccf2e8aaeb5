"""The SMTP password at rest: encrypted in the database, decrypted only to log in, never shown
or logged; messaging_003 encrypts passwords saved in plaintext before it."""

from __future__ import annotations

import logging

from sqlalchemy import text

from modules.messaging.services import smtp_service
from modules.messaging.services.smtp_service import password_of
from orion_server.migrations import downgrade, upgrade
from orion_server.secrets_box import decrypt, encrypt, is_encrypted

URL = "/admin/messaging/smtp"
PASSWORD = "Sm7p-very-secret-passw0rd"


def raw_password(db, platform_id: int) -> str:
    db.rollback()
    return db.execute(
        text("SELECT password FROM smtp_settings WHERE platform_id = :p"), {"p": platform_id}
    ).scalar_one()


def save(db, platform_id: int, password: str | None = PASSWORD, **fields):
    values = {"host": "127.0.0.1", "port": 2525, "security": "none", "from_address": "shop@example.lu"}
    values.update(fields)
    return smtp_service.save(db, platform_id=platform_id, username="mailer", password=password, **values)


def test_the_stored_password_is_not_the_plaintext(db_session, shop):
    """Raw SQL sees fernet:v1:…; the service gives the password back."""
    save(db_session, shop[0].id)

    stored = raw_password(db_session, shop[0].id)
    assert stored.startswith("fernet:v1:") and PASSWORD not in stored
    assert decrypt(stored) == PASSWORD
    assert password_of(smtp_service.get(db_session, platform_id=shop[0].id)) == PASSWORD


def test_the_admin_page_masks_the_password_and_offers_to_replace_it(client, factories, db_session, shop, caplog):
    """"•••• set" and a "replace" field; neither the password nor its ciphertext is in the page
    or the logs."""
    client.cookies.set("orion_lang", "en")
    csrf = factories.login(client, factories.admin(email="admin@example.lu"))
    caplog.set_level(logging.DEBUG)
    client.post(
        URL,
        data={"csrf_token": csrf, "host": "smtp.example.lu", "port": "587", "security": "starttls",
              "username": "mailer", "password": PASSWORD, "from_address": "shop@example.lu", "from_name": ""},
    )

    html = client.get(URL).text
    stored = raw_password(db_session, shop[0].id)
    assert "•••• set" in html and "Replace the password" in html
    assert PASSWORD not in html and stored not in html
    assert PASSWORD not in caplog.text and stored not in caplog.text


def test_the_stored_password_never_goes_to_another_server(db_session, shop):
    """Whoever edits the settings cannot point them at their own server and keep the stored
    password: changing the host or the user name needs the password typed again (issue 10)."""
    import pytest

    from modules.messaging.exceptions import MessagingInputError

    save(db_session, shop[0].id)
    for change in ({"host": "mail.attacker.example"}, {"username": "someone-else"}):
        fields = {"username": "mailer", **change}
        with pytest.raises(MessagingInputError) as refused:
            smtp_service.save(db_session, platform_id=shop[0].id, password=None, port=2525, security="none",
                              from_address="shop@example.lu", **{"host": "127.0.0.1", **fields})
        assert refused.value.problems[0].field == "password"
    db_session.rollback()
    assert smtp_service.get(db_session, platform_id=shop[0].id).host == "127.0.0.1"
    save(db_session, shop[0].id, password=None, from_name="Bakery")  # same server: the password is kept
    assert password_of(smtp_service.get(db_session, platform_id=shop[0].id)) == PASSWORD
    save(db_session, shop[0].id, password="typed-again-for-the-new-host", host="smtp.example.lu")
    assert smtp_service.get(db_session, platform_id=shop[0].id).host == "smtp.example.lu"


class Recorder:
    """An aiosmtpd authenticator that accepts any login and keeps the passwords it received."""

    def __init__(self) -> None:
        self.passwords: list[str] = []

    def __call__(self, server, session, envelope, mechanism, auth_data):
        from aiosmtpd.smtp import AuthResult

        self.passwords.append(auth_data.password.decode())
        return AuthResult(success=True)


def test_sending_logs_in_with_the_decrypted_password(db_session, shop):
    """A real SMTP server with AUTH receives the plaintext password and the email."""
    from aiosmtpd.controller import Controller

    from tests.modules.messaging.conftest import Collector, free_port

    recorder, collector, port = Recorder(), Collector(), free_port()
    controller = Controller(
        collector, hostname="127.0.0.1", port=port, authenticator=recorder, auth_require_tls=False
    )
    controller.start()
    try:
        save(db_session, shop[0].id, port=port)
        smtp_service.send_test(db_session, platform_id=shop[0].id, to="anna@example.lu", subject="Hi", text="Hello")
    finally:
        controller.stop()

    assert recorder.passwords == [PASSWORD]
    assert len(collector.messages) == 1
    assert is_encrypted(raw_password(db_session, shop[0].id))


def test_a_changed_secret_key_is_reported_not_crashed(db_session, shop, smtp_server):
    """A password encrypted with another key: delivery fails with a reason that says so."""
    save(db_session, shop[0].id, port=smtp_server.port)
    db_session.execute(
        text("UPDATE smtp_settings SET password = :p WHERE platform_id = :id"),
        {"p": encrypt(PASSWORD, secret_key="x" * 48), "id": shop[0].id},
    )
    db_session.commit()

    outcome = smtp_service.deliver(db_session, platform_id=shop[0].id, emails=[type("E", (), {"id": 7})()])

    assert "secret key changed" in outcome[7]
    assert password_of(smtp_service.get(db_session, platform_id=shop[0].id)) == ""


def test_the_migration_encrypts_a_plaintext_password_and_leaves_encrypted_ones(orion_engine, db_session, factories, shop):
    """Back to messaging_002, a plaintext row and an encrypted one; upgrading encrypts the first
    only; downgrading decrypts again."""
    other = factories.platform(code="lux")
    save(db_session, shop[0].id)
    save(db_session, other.id)
    db_session.close()

    downgrade(orion_engine, "messaging_002")
    try:
        assert raw_password(db_session, shop[0].id) == PASSWORD  # the downgrade decrypted it
        already = encrypt("already-encrypted")
        db_session.execute(
            text("UPDATE smtp_settings SET password = :p WHERE platform_id = :id"), {"p": already, "id": other.id}
        )
        db_session.commit()
        db_session.close()
    finally:
        upgrade(orion_engine)

    stored = raw_password(db_session, shop[0].id)
    assert is_encrypted(stored) and decrypt(stored) == PASSWORD
    assert raw_password(db_session, other.id) == already
