"""SMTP settings per platform and delivery over SMTP (implicit TLS, STARTTLS or plain).

The password is stored encrypted with the installation's key (``orion_server.secrets_box``) and
decrypted only to log in to the SMTP server; it is never returned to a page, written to a log or
kept in an error text.
"""

from __future__ import annotations

import base64
import logging
import smtplib
import ssl
from collections.abc import Callable, Iterable
from datetime import datetime
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from modules.messaging.exceptions import DeliveryError, MessagingInputError, Problem
from modules.messaging.models import EmailOutbox, SmtpSettings
from orion_server.database import begin_write, utcnow
from orion_server.secrets_box import SecretsBoxError, encrypt, reveal

logger = logging.getLogger(__name__)

SMTP_TIMEOUT = 20
"""Seconds to wait for the SMTP server before giving up (the email stays queued)."""
SECURITY_CHOICES = ("starttls", "ssl", "none")
MASK = "••••"
PER_MESSAGE_ERRORS = (
    smtplib.SMTPRecipientsRefused,
    smtplib.SMTPSenderRefused,
    smtplib.SMTPDataError,
    smtplib.SMTPNotSupportedError,
)
MAX_ERROR = 500


def security_of(settings: SmtpSettings | None) -> str:
    """``ssl``, ``starttls`` or ``none`` for a settings row."""
    if settings is None:
        return "starttls"
    if settings.use_tls:
        return "ssl"
    return "starttls" if settings.use_starttls else "none"


def redact(text: str, secret: str) -> str:
    """``text`` with the secret (and its base64 forms used by AUTH) masked, shortened."""
    if secret:
        variants = {secret, base64.b64encode(secret.encode()).decode()}
        for variant in sorted(variants, key=len, reverse=True):
            text = text.replace(variant, MASK)
    return text[:MAX_ERROR]


def password_of(settings: SmtpSettings | None) -> str:
    """The plaintext password of ``settings`` ('' when none or when it cannot be decrypted)."""
    if settings is None:
        return ""
    try:
        return reveal(settings.password)
    except SecretsBoxError:
        return ""


def describe(exc: BaseException, settings: SmtpSettings | None) -> str:
    """A one-line reason for a failed delivery, without the password."""
    text = f"{type(exc).__name__}: {exc}".replace("\n", " ")
    if isinstance(exc, SecretsBoxError):
        return text[:MAX_ERROR]
    return redact(text, password_of(settings))


class SmtpService:
    """Reading and saving SMTP settings; sending messages through them."""

    def get(self, db: Session, *, platform_id: int) -> SmtpSettings | None:
        """The platform's settings, or None when email is not configured yet."""
        return db.scalar(select(SmtpSettings).where(SmtpSettings.platform_id == platform_id))

    def save(
        self,
        db: Session,
        *,
        platform_id: int,
        host: str,
        port: int | str,
        username: str = "",
        password: str | None = None,
        clear_password: bool = False,
        security: str = "starttls",
        from_address: str,
        from_name: str = "",
    ) -> SmtpSettings:
        """Create or update the settings; an empty ``password`` keeps the stored one, unless the
        host or the user name changes: the password must then be typed again (or cleared), so
        whoever can edit the settings cannot send the stored password to a server of theirs."""
        from modules.messaging.services.email_service import check_address

        host = (host or "").strip()
        if not host or len(host) > 255 or any(c.isspace() for c in host):
            raise MessagingInputError([Problem("host", "messaging.errors.host_required")])
        try:
            port_number = int(str(port).strip())
        except ValueError:
            port_number = 0
        if not 1 <= port_number <= 65535:
            raise MessagingInputError([Problem("port", "messaging.errors.bad_port")])
        if security not in SECURITY_CHOICES:
            raise MessagingInputError([Problem("security", "messaging.errors.bad_security")])
        from_address = check_address(from_address, field="from_address")
        username = (username or "").strip()
        if len(username) > 255:
            raise MessagingInputError([Problem("username", "messaging.errors.too_long", {"limit": 255})])
        from_name = (from_name or "").strip()
        if len(from_name) > 200:
            raise MessagingInputError([Problem("from_name", "messaging.errors.too_long", {"limit": 200})])
        if password is not None and len(password) > 500:
            raise MessagingInputError([Problem("password", "messaging.errors.too_long", {"limit": 500})])
        begin_write(db)
        settings = self.get(db, platform_id=platform_id)
        if settings is None:
            settings = SmtpSettings(platform_id=platform_id, password="")
            db.add(settings)
        elif (
            settings.password and not password and not clear_password
            and (settings.host.lower(), settings.username) != (host.lower(), username)
        ):
            # The stored password belongs to the old server and account: never send it to another.
            db.rollback()
            raise MessagingInputError([Problem("password", "messaging.errors.password_again")])
        settings.host = host
        settings.port = port_number
        settings.username = username
        if clear_password:
            settings.password = ""
        elif password:
            settings.password = encrypt(password)
        settings.use_tls = security == "ssl"
        settings.use_starttls = security == "starttls"
        settings.from_address = from_address
        settings.from_name = from_name
        settings.updated_at = utcnow()
        db.commit()
        logger.info("SMTP settings of platform %s saved (host %s:%s)", platform_id, host, port_number)
        return settings

    # -- delivery -----------------------------------------------------------------------------

    def _connect(self, settings: SmtpSettings) -> smtplib.SMTP:
        context = ssl.create_default_context()
        if settings.use_tls:
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                settings.host, settings.port, timeout=SMTP_TIMEOUT, context=context
            )
        else:
            smtp = smtplib.SMTP(settings.host, settings.port, timeout=SMTP_TIMEOUT)
            smtp.ehlo()
            if settings.use_starttls:
                smtp.starttls(context=context)
                smtp.ehlo()
        try:
            if settings.username:
                # SecretKeyChanged (the installation key changed) is reported like a login failure
                smtp.login(settings.username, reveal(settings.password))
        except BaseException:
            smtp.close()
            raise
        return smtp

    @staticmethod
    def build_message(
        settings: SmtpSettings, *, to: str, subject: str, html: str, text: str,
        outbox_id: int | None = None, queued_at: datetime | None = None,
    ) -> EmailMessage:
        """A multipart (text + HTML) message from the platform's sender.

        An outbox message keeps one Message-ID whatever attempt sends it (its outbox id and the
        moment it was queued): should a worker die between the server's acceptance and the
        record of it, the copy sent again carries the same id, which mail programs show once."""
        message = EmailMessage()
        message["Subject"] = subject
        message["From"] = formataddr((settings.from_name, settings.from_address))
        message["To"] = to
        message["Date"] = formatdate(usegmt=True)
        domain = settings.from_address.rpartition("@")[2] or None
        if outbox_id is not None and queued_at is not None:
            message["Message-ID"] = f"<orion.{outbox_id}.{queued_at:%Y%m%d%H%M%S%f}@{domain or 'orion.local'}>"
        else:
            message["Message-ID"] = make_msgid(domain=domain)
        if outbox_id is not None:
            message["X-Orion-Outbox-Id"] = str(outbox_id)
        message.set_content(text)
        message.add_alternative(html, subtype="html")
        return message

    def deliver(
        self, db: Session, *, platform_id: int, emails: Iterable[EmailOutbox],
        before_each: Callable[[EmailOutbox], bool] | None = None,
        after_each: Callable[[EmailOutbox, str | None], None] | None = None,
    ) -> dict[int, str | None]:
        """Send ``emails`` over one connection; ``{outbox id: None (sent) or the reason}``.
        ``before_each`` is asked right before each message goes out; False skips it (its
        outcome is ``claim lost``). ``after_each`` hears each attempted message's outcome as
        soon as the server answered, before the next one goes out."""
        emails = list(emails)
        settings = self.get(db, platform_id=platform_id)
        db.commit()
        if settings is None:
            return {e.id: "SMTP is not configured for this platform" for e in emails}
        try:
            smtp = self._connect(settings)
        except Exception as exc:
            reason = describe(exc, settings)
            return {e.id: reason for e in emails}
        results: dict[int, str | None] = {}
        try:
            for email in emails:
                if before_each is not None and not before_each(email):
                    results[email.id] = "claim lost"
                    continue
                try:
                    message = self.build_message(
                        settings,
                        to=email.to_address,
                        subject=email.subject,
                        html=email.body_html,
                        text=email.body_text,
                        outbox_id=email.id,
                        queued_at=email.created_at,
                    )
                    smtp.send_message(message)
                    results[email.id] = None
                except PER_MESSAGE_ERRORS as exc:  # this message only; the connection is fine
                    results[email.id] = describe(exc, settings)
                except OSError as exc:  # the connection is gone: the rest waits for a retry
                    reason = describe(exc, settings)
                    for rest in emails:
                        results.setdefault(rest.id, reason)
                    break
                except Exception as exc:
                    results[email.id] = describe(exc, settings)
                if after_each is not None:
                    after_each(email, results[email.id])
        finally:
            try:
                smtp.quit()
            except Exception:
                smtp.close()
        return results

    def send_test(self, db: Session, *, platform_id: int, to: str, subject: str, text: str) -> None:
        """Send one email now, bypassing the outbox; DeliveryError says why it failed."""
        from modules.messaging.services.email_service import check_address

        to = check_address(to)
        settings = self.get(db, platform_id=platform_id)
        db.commit()
        if settings is None:
            raise MessagingInputError([Problem("to", "messaging.errors.not_configured")])
        message = self.build_message(
            settings, to=to, subject=subject, html=f"<p>{_escape(text)}</p>", text=text
        )
        try:
            smtp = self._connect(settings)
            try:
                smtp.send_message(message)
            finally:
                try:
                    smtp.quit()
                except Exception:
                    smtp.close()
        except Exception as exc:
            raise DeliveryError(describe(exc, settings)) from None


def _escape(text: Any) -> str:
    from markupsafe import escape

    return str(escape(text))


smtp_service = SmtpService()
