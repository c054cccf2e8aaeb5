"""Email: choosing and rendering templates, queueing emails, sending the outbox with retries.

An email is rendered when it is queued and written to the ``email_outbox`` table; the
``send_outbox`` task (and a periodic retry every minute) sends the due ones over SMTP. When the
server is down the email stays queued and is tried again later with an exponential backoff, so
it is never lost. Two workers never send the same email: each claims rows with a conditional
``UPDATE ... SET status='sending' WHERE status='queued'``; a claim left behind by a crashed
worker is released after ``CLAIM_TIMEOUT``.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from modules.contracts.backlogs import Backlog
from modules.messaging.exceptions import MessagingInputError, Problem
from modules.messaging.models import EmailOutbox, EmailTemplate
from modules.messaging.services.rendering import (
    RenderedEmail,
    TemplateSource,
    check_source,
    render_source,
    spec_for,
)
from modules.messaging.services.smtp_service import smtp_service
from modules.messaging.templates_builtin import BUILTIN_TEMPLATES
from orion_server.config import SUPPORTED_LANGUAGES
from orion_server.database import begin_write, utcnow
from orion_server.errors import NotFoundError
from orion_server.models import Platform, Store

logger = logging.getLogger(__name__)

FALLBACK_LANGUAGE = "en"
EMAIL_PATTERN = re.compile(r"^[^@\s<>,;\"]+@[^@\s<>,;\"]+\.[^@\s<>,;\"]+$")
BACKOFF_SECONDS = (30, 120, 600, 3600, 4 * 3600, 12 * 3600)
"""Wait after the 1st, 2nd, ... failed attempt; later attempts wait the last value."""
MAX_ATTEMPTS = 10
"""After this many failed attempts the email is marked failed (about four days of retries)."""
CLAIM_TIMEOUT = timedelta(minutes=3)
"""A row left in ``sending`` longer than this (a worker died) is sent again. A claim is renewed
right before its message goes out, so it only has to outlast one message's delivery (a few
SMTP exchanges of at most ``SMTP_TIMEOUT`` each)."""
BATCH_SIZE = 100
CARRIES_SECRETS = frozenset({
    "password_reset", "staff_password_reset", "staff_invitation", "email_confirmation",
    "order_confirmation", "payment_received",
})
"""Emails whose links carry a token (a password reset, an invitation, an order's status page):
their bodies are removed from the outbox once sent, so a copy of the database or a backup
does not hold working links."""
PURGED_BODY = "(removed after sending: it held a personal link)"
CLAIM_LOST = "claim lost"
"""The outcome of a message whose claim another worker took over: not sent, not recorded."""


def backoff(attempts: int) -> timedelta:
    """How long to wait after the ``attempts``-th failure."""
    index = min(max(attempts, 1), len(BACKOFF_SECONDS)) - 1
    return timedelta(seconds=BACKOFF_SECONDS[index])


def check_address(to: str, *, field: str = "to") -> str:
    """A plausible single email address, trimmed; a ValidationError otherwise."""
    to = (to or "").strip()
    if not to or len(to) > 255 or not EMAIL_PATTERN.match(to):
        raise MessagingInputError([Problem(field, "messaging.errors.bad_address")])
    return to


@dataclass
class SendReport:
    """What one ``send_due`` run did."""

    sent: int = 0
    retried: int = 0
    failed: int = 0


class EmailService:
    """Templates, rendering, the outbox and sending."""

    # -- languages and templates --------------------------------------------------------------

    def choose_language(
        self,
        db: Session,
        *,
        platform_id: int,
        store_id: int | None = None,
        customer_language: str | None = None,
    ) -> str:
        """The customer's language, else the store's, else the platform's, else English."""
        candidates: list[str | None] = [customer_language]
        if store_id is not None:
            candidates.append(db.scalar(select(Store.default_language).where(Store.id == store_id)))
        candidates.append(
            db.scalar(select(Platform.default_language).where(Platform.id == platform_id))
        )
        for candidate in candidates:
            if candidate in SUPPORTED_LANGUAGES:
                return candidate  # type: ignore[return-value]
        return FALLBACK_LANGUAGE

    def source_for(
        self, db: Session, *, platform_id: int, store_id: int | None, code: str, language: str
    ) -> TemplateSource:
        """The template to use: the store's, else the platform's, else the built-in one."""
        spec = spec_for(code)
        if language not in SUPPORTED_LANGUAGES:
            language = FALLBACK_LANGUAGE
        owners = [EmailTemplate.store_id.is_(None)]
        if store_id is not None:
            owners.append(EmailTemplate.store_id == store_id)
        rows = db.scalars(
            select(EmailTemplate).where(
                EmailTemplate.platform_id == platform_id,
                EmailTemplate.code == code,
                EmailTemplate.language == language,
                or_(*owners),
            )
        ).all()
        chosen = sorted(rows, key=lambda r: r.store_id is None)
        if chosen:
            row = chosen[0]
            origin = "platform" if row.store_id is None else "store"
            return TemplateSource(row.subject, row.body_html, row.body_text, origin)
        body = spec.bodies.get(language) or spec.bodies[FALLBACK_LANGUAGE]
        return TemplateSource(body["subject"], body["body_html"], body["body_text"], "builtin")

    def builtin_source(self, *, code: str, language: str) -> TemplateSource:
        """The built-in template of ``code`` in ``language``."""
        body = spec_for(code).bodies.get(language) or spec_for(code).bodies[FALLBACK_LANGUAGE]
        return TemplateSource(body["subject"], body["body_html"], body["body_text"], "builtin")

    def origins(self, db: Session, *, platform_id: int, store_id: int | None) -> dict[tuple[str, str], str]:
        """``{(code, language): "store" | "platform" | "builtin"}`` for every template."""
        result = {(code, lang): "builtin" for code in BUILTIN_TEMPLATES for lang in SUPPORTED_LANGUAGES}
        owners = [EmailTemplate.store_id.is_(None)]
        if store_id is not None:
            owners.append(EmailTemplate.store_id == store_id)
        rows = db.execute(
            select(EmailTemplate.code, EmailTemplate.language, EmailTemplate.store_id).where(
                EmailTemplate.platform_id == platform_id, or_(*owners)
            )
        ).all()
        for code, lang, owner in sorted(rows, key=lambda r: r.store_id is not None):
            if (code, lang) in result:
                result[(code, lang)] = "platform" if owner is None else "store"
        return result

    def render(
        self,
        db: Session,
        *,
        platform_id: int,
        store_id: int | None = None,
        code: str,
        language: str | None = None,
        variables: dict[str, Any],
    ) -> RenderedEmail:
        """``(subject, html, text)`` of ``code`` in ``language`` (None: the store's or platform's).

        A ValidationError says which variable is missing or unknown, or why rendering failed.
        """
        spec = spec_for(code)
        if language not in SUPPORTED_LANGUAGES:
            language = self.choose_language(
                db, platform_id=platform_id, store_id=store_id, customer_language=language
            )
        source = self.source_for(
            db, platform_id=platform_id, store_id=store_id, code=code, language=language
        )
        check_source(spec, language, source)
        return render_source(spec, language, source, variables)

    def preview(
        self, *, code: str, language: str, subject: str, body_html: str, body_text: str
    ) -> RenderedEmail:
        """Check an edited template and render it with the sample variables."""
        spec = spec_for(code)
        source = {"subject": subject, "body_html": body_html, "body_text": body_text}
        check_source(spec, language, source)
        return render_source(spec, language, source, spec.sample)

    def save_template(
        self,
        db: Session,
        *,
        platform_id: int,
        store_id: int | None,
        code: str,
        language: str,
        subject: str,
        body_html: str,
        body_text: str,
    ) -> EmailTemplate:
        """Create or replace the platform's (``store_id`` None) or a store's template."""
        if language not in SUPPORTED_LANGUAGES:
            raise MessagingInputError([Problem("language", "messaging.errors.bad_language")])
        self.preview(
            code=code, language=language, subject=subject, body_html=body_html, body_text=body_text
        )
        begin_write(db)
        row = self._template_row(db, platform_id, store_id, code, language)
        if row is None:
            row = EmailTemplate(
                platform_id=platform_id, store_id=store_id, code=code, language=language
            )
            db.add(row)
        row.subject = subject.strip()
        row.body_html = body_html
        row.body_text = body_text
        row.updated_at = utcnow()
        db.commit()
        return row

    def reset_template(
        self, db: Session, *, platform_id: int, store_id: int | None, code: str, language: str
    ) -> bool:
        """Delete the edited template so the next one down the chain is used again."""
        spec_for(code)
        begin_write(db)
        row = self._template_row(db, platform_id, store_id, code, language)
        if row is None:
            db.rollback()
            return False
        db.delete(row)
        db.commit()
        return True

    @staticmethod
    def _template_row(
        db: Session, platform_id: int, store_id: int | None, code: str, language: str
    ) -> EmailTemplate | None:
        owner = EmailTemplate.store_id.is_(None) if store_id is None else EmailTemplate.store_id == store_id
        return db.scalar(
            select(EmailTemplate).where(
                EmailTemplate.platform_id == platform_id,
                EmailTemplate.code == code,
                EmailTemplate.language == language,
                owner,
            )
        )

    # -- the outbox ---------------------------------------------------------------------------

    def queue(
        self,
        db: Session,
        *,
        platform_id: int,
        store_id: int | None = None,
        code: str,
        to: str,
        language: str | None = None,
        variables: dict[str, Any],
        dedupe_key: str | None = None,
    ) -> EmailOutbox:
        """Render ``code`` and queue it for ``to``; the same ``dedupe_key`` is queued only once."""
        to = check_address(to)
        if dedupe_key:
            existing = self._by_dedupe_key(db, dedupe_key)
            if existing is not None:
                return existing
        if language not in SUPPORTED_LANGUAGES:
            language = self.choose_language(
                db, platform_id=platform_id, store_id=store_id, customer_language=language
            )
        rendered = self.render(
            db,
            platform_id=platform_id,
            store_id=store_id,
            code=code,
            language=language,
            variables=variables,
        )
        return self.queue_rendered(
            db,
            platform_id=platform_id,
            store_id=store_id,
            to=to,
            language=language,
            email=rendered,
            code=code,
            dedupe_key=dedupe_key,
        )

    def queue_rendered(
        self,
        db: Session,
        *,
        platform_id: int,
        store_id: int | None = None,
        to: str,
        language: str,
        email: RenderedEmail,
        code: str = "",
        dedupe_key: str | None = None,
    ) -> EmailOutbox:
        """Queue an email already rendered (a message written by staff, say)."""
        to = check_address(to)
        if dedupe_key:
            existing = self._by_dedupe_key(db, dedupe_key)
            if existing is not None:
                return existing
        row = EmailOutbox(
            platform_id=platform_id,
            store_id=store_id,
            code=code,
            to_address=to,
            language=language,
            subject=email.subject,
            body_html=email.html,
            body_text=email.text,
            status="queued",
            attempts=0,
            next_attempt_at=utcnow(),
            dedupe_key=dedupe_key or None,
        )
        db.add(row)
        try:
            db.commit()
        except IntegrityError:
            db.rollback()
            existing = self._by_dedupe_key(db, dedupe_key) if dedupe_key else None
            if existing is None:
                raise
            return existing
        self._enqueue_send()
        return row

    @staticmethod
    def _by_dedupe_key(db: Session, key: str) -> EmailOutbox | None:
        return db.scalar(select(EmailOutbox).where(EmailOutbox.dedupe_key == key))

    @staticmethod
    def _enqueue_send() -> None:
        """Ask a worker to send now; if the queue is unavailable the periodic retry will."""
        try:
            from modules.messaging.tasks.outbox import send_outbox

            send_outbox()
        except Exception:
            logger.warning("could not enqueue send_outbox; the periodic retry will send", exc_info=True)

    def get_outbox(self, db: Session, *, outbox_id: int, platform_id: int) -> EmailOutbox:
        """One outbox row of the platform."""
        row = db.get(EmailOutbox, outbox_id)
        if row is None or row.platform_id != platform_id:
            raise NotFoundError("email not found")
        return row

    def outbox_counts(self, db: Session, *, platform_id: int) -> dict[str, int]:
        """``{status: count}`` of the platform's outbox."""
        from sqlalchemy import func

        rows = db.execute(
            select(EmailOutbox.status, func.count())
            .where(EmailOutbox.platform_id == platform_id)
            .group_by(EmailOutbox.status)
        ).all()
        counts = {status: 0 for status in ("queued", "sending", "sent", "failed")}
        counts.update({status: count for status, count in rows})
        return counts

    def recent_outbox(self, db: Session, *, platform_id: int, limit: int = 20) -> list[EmailOutbox]:
        """The platform's latest emails, newest first."""
        return list(
            db.scalars(
                select(EmailOutbox)
                .where(EmailOutbox.platform_id == platform_id)
                .order_by(EmailOutbox.created_at.desc(), EmailOutbox.id.desc())
                .limit(limit)
            )
        )

    def retry(self, db: Session, *, outbox_id: int, platform_id: int) -> EmailOutbox:
        """Queue a failed email again, now."""
        begin_write(db)
        row = self.get_outbox(db, outbox_id=outbox_id, platform_id=platform_id)
        if row.status == "failed":
            row.status = "queued"
            row.attempts = 0
            row.next_attempt_at = utcnow()
        db.commit()
        self._enqueue_send()
        return row

    # -- sending ------------------------------------------------------------------------------

    def claim_due(self, db: Session, *, now: datetime, limit: int = BATCH_SIZE) -> list[int]:
        """Release stale claims, then claim up to ``limit`` due emails; returns their ids."""
        begin_write(db)
        db.execute(
            update(EmailOutbox)
            .where(EmailOutbox.status == "sending", EmailOutbox.claimed_at < now - CLAIM_TIMEOUT)
            .values(status="queued", claimed_at=None)
            .execution_options(synchronize_session=False)
        )
        due = db.scalars(
            select(EmailOutbox.id)
            .where(EmailOutbox.status == "queued", EmailOutbox.next_attempt_at <= now)
            .order_by(EmailOutbox.next_attempt_at, EmailOutbox.id)
            .limit(limit)
        ).all()
        claimed = []
        for outbox_id in due:
            result = db.execute(
                update(EmailOutbox)
                .where(EmailOutbox.id == outbox_id, EmailOutbox.status == "queued")
                .values(status="sending", claimed_at=now)
                .execution_options(synchronize_session=False)
            )
            if result.rowcount == 1:
                claimed.append(outbox_id)
        db.commit()
        return claimed

    def send_due(self, db: Session, *, now: datetime | None = None, limit: int = BATCH_SIZE) -> SendReport:
        """Send every queued email whose time has come; failures are retried later."""
        now = now or utcnow()
        claimed = self.claim_due(db, now=now, limit=limit)
        if not claimed:
            return SendReport()
        return self.send_claimed(db, claimed, claimed_at=now)

    def send_claimed(self, db: Session, outbox_ids: list[int], *, claimed_at: datetime) -> SendReport:
        """Send the emails this worker claimed at ``claimed_at``.

        Each claim is renewed just before its message goes out: one that went stale meanwhile
        (another worker took it over) is left to that worker. Each outcome is recorded as soon
        as the server answered, before the next message goes out, so a worker killed in the
        middle of a batch leaves at most the one message in flight to be sent again."""
        rows = list(db.scalars(select(EmailOutbox).where(EmailOutbox.id.in_(outbox_ids)).order_by(EmailOutbox.id)))
        db.commit()  # end the read; sending happens outside any transaction
        claims = {row.id: claimed_at for row in rows}
        report = SendReport()

        def renew(email: EmailOutbox) -> bool:
            fresh = utcnow()
            begin_write(db)
            result = db.execute(
                update(EmailOutbox)
                .where(EmailOutbox.id == email.id, EmailOutbox.status == "sending",
                       EmailOutbox.claimed_at == claims[email.id])
                .values(claimed_at=fresh)
                .execution_options(synchronize_session=False)
            )
            db.commit()
            if result.rowcount != 1:
                return False
            claims[email.id] = fresh
            return True

        recorded: set[int] = set()

        def record(email: EmailOutbox, error: str | None) -> None:
            recorded.add(email.id)
            self._record(db, email, error, claims[email.id], claimed_at, report)

        by_platform: dict[int, list[EmailOutbox]] = {}
        for row in rows:
            by_platform.setdefault(row.platform_id, []).append(row)
        for platform_id, batch in by_platform.items():
            outcomes = smtp_service.deliver(db, platform_id=platform_id, emails=batch,
                                            before_each=renew, after_each=record)
            for row in batch:  # not attempted: the server could not be reached, or went away
                if row.id not in recorded:
                    record(row, outcomes.get(row.id, "not attempted"))
        db.expire_all()
        return report

    def _record(
        self, db: Session, row: EmailOutbox, error: str | None, claim: datetime, now: datetime,
        report: SendReport,
    ) -> None:
        """Write the outcome of one message, if this worker still holds its claim."""
        if error == CLAIM_LOST:
            return  # another worker holds it now
        attempts = row.attempts + 1
        if error is None:
            values: dict[str, Any] = {
                "status": "sent",
                "sent_at": utcnow(),
                "attempts": attempts,
                "last_error": None,
                "claimed_at": None,
            }
            if row.code in CARRIES_SECRETS:  # its link opens an account or an order: gone once delivered
                values.update(body_html=PURGED_BODY, body_text=PURGED_BODY)
            report.sent += 1
        elif attempts >= MAX_ATTEMPTS:
            values = {"status": "failed", "attempts": attempts, "last_error": error, "claimed_at": None}
            report.failed += 1
        else:
            values = {
                "status": "queued",
                "attempts": attempts,
                "last_error": error,
                "claimed_at": None,
                "next_attempt_at": now + backoff(attempts),
            }
            report.retried += 1
        begin_write(db)
        db.execute(
            update(EmailOutbox)
            .where(EmailOutbox.id == row.id, EmailOutbox.status == "sending", EmailOutbox.claimed_at == claim)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        db.commit()
        if error is not None:
            logger.warning("email %s not sent (attempt %d): %s", row.id, attempts, error)

    def outbox_backlog(self, db: Session, *, platform_id: int) -> Backlog:
        """The platform's e-mails still to send (queued or being sent), those given up on, and
        when the oldest still to send was queued."""
        waiting, oldest = db.execute(
            select(func.count(EmailOutbox.id), func.min(EmailOutbox.created_at))
            .where(EmailOutbox.platform_id == platform_id, EmailOutbox.status.in_(("queued", "sending")))
        ).one()
        failed = db.scalar(select(func.count(EmailOutbox.id)).where(
            EmailOutbox.platform_id == platform_id, EmailOutbox.status == "failed")) or 0
        return Backlog(key="messaging.email_outbox", label_key="messaging.backlog.email_outbox",
                       waiting=waiting or 0, failed=failed, oldest_waiting_at=oldest)


email_service = EmailService()
