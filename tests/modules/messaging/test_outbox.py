"""The outbox: emails reach a real SMTP server, survive its outage, and are sent exactly once."""

from __future__ import annotations

import smtplib
from datetime import timedelta

from sqlalchemy import func, select

from modules.messaging.models import EmailOutbox
from modules.messaging.services import email_service, smtp_service
from modules.messaging.services.email_service import CLAIM_TIMEOUT, MAX_ATTEMPTS, backoff
from modules.messaging.tasks import run_send_outbox
from orion_server.database import utcnow
from tests.modules.messaging.conftest import ORDER_VARIABLES


def queue(db, shop, *, to="anna@example.lu", language="de", dedupe_key=None):
    platform, store = shop
    return email_service.queue(
        db,
        platform_id=platform.id,
        store_id=store.id,
        code="order_confirmation",
        to=to,
        language=language,
        variables=ORDER_VARIABLES,
        dedupe_key=dedupe_key,
    )


def fresh(db, outbox_id: int) -> EmailOutbox:
    db.expire_all()
    return db.get(EmailOutbox, outbox_id)


def test_the_german_order_confirmation_arrives_with_the_german_subject(db_session, shop, smtp_settings, smtp_server):
    """Queueing sends at once (the task runs inline in tests) through real SMTP."""
    row = queue(db_session, shop)

    assert len(smtp_server.messages) == 1
    message = smtp_server.messages[0]
    assert message["Subject"] == "Ihre Bestellung B-1001 bei Bäckerei Dupont"
    assert message["To"] == "anna@example.lu"
    assert message["From"] == "Orion Test <shop@example.lu>"
    assert "11,90" in message.get_body(("plain",)).get_content()
    assert "<table" in message.get_body(("html",)).get_content()
    sent = fresh(db_session, row.id)
    assert (sent.status, sent.attempts, sent.last_error) == ("sent", 1, None)
    assert sent.sent_at is not None


def test_a_sent_email_with_a_personal_link_keeps_no_body(db_session, shop, smtp_settings, smtp_server):
    """Order confirmations, resets and invitations carry working links: once delivered, the
    outbox (and so every backup) keeps only who got what, not the link (issue 10)."""
    row = queue(db_session, shop)
    delivered = smtp_server.messages[0].get_body(("plain",)).get_content()
    assert "B-1001" in delivered
    kept = fresh(db_session, row.id)
    assert kept.status == "sent" and kept.subject == "Ihre Bestellung B-1001 bei Bäckerei Dupont"
    assert "B-1001" not in kept.body_text and "B-1001" not in kept.body_html
    assert kept.body_text == "(removed after sending: it held a personal link)"


def test_an_email_waits_while_the_server_is_down_and_is_sent_once_it_is_back(db_session, shop, smtp_settings, smtp_server):
    """Server down: queued, attempts=1, retried later; back up: delivered exactly once."""
    smtp_server.stop()
    row = queue(db_session, shop)

    waiting = fresh(db_session, row.id)
    assert (waiting.status, waiting.attempts) == ("queued", 1)
    assert waiting.next_attempt_at > utcnow()
    assert waiting.last_error

    smtp_server.start()
    assert email_service.send_due(db_session).sent == 0  # not due yet
    later = utcnow() + timedelta(minutes=1)
    report = email_service.send_due(db_session, now=later)
    again = email_service.send_due(db_session, now=later + timedelta(hours=1))

    assert (report.sent, again.sent) == (1, 0)
    assert len(smtp_server.messages) == 1
    assert fresh(db_session, row.id).status == "sent"


def test_retries_back_off_exponentially_and_end_as_failed(db_session, shop, smtp_settings, smtp_server):
    """Each failure waits longer; after the last attempt the email is marked failed."""
    smtp_server.stop()
    row = queue(db_session, shop)
    waits = []
    now = utcnow()
    for _ in range(MAX_ATTEMPTS - 1):
        current = fresh(db_session, row.id)
        if current.status != "queued":
            break
        waits.append(current.next_attempt_at - now)
        now = current.next_attempt_at
        email_service.send_due(db_session, now=now)

    final = fresh(db_session, row.id)
    assert (final.status, final.attempts) == ("failed", MAX_ATTEMPTS)
    assert backoff(1) < backoff(2) < backoff(3) < backoff(4)
    assert waits[0] <= timedelta(seconds=31)
    assert max(waits) <= timedelta(hours=12, seconds=1)


def test_the_same_dedupe_key_is_queued_and_sent_once(db_session, shop, smtp_settings, smtp_server):
    """A retried request with the same key gets the same outbox row."""
    first = queue(db_session, shop, dedupe_key="order:B-1001:confirmation")
    second = queue(db_session, shop, dedupe_key="order:B-1001:confirmation")

    assert first.id == second.id
    assert db_session.scalar(select(func.count()).select_from(EmailOutbox)) == 1
    assert len(smtp_server.messages) == 1


def test_without_smtp_settings_emails_wait_in_the_outbox(db_session, shop):
    """Nothing configured yet: the email is kept and retried, never dropped."""
    row = queue(db_session, shop)

    waiting = fresh(db_session, row.id)
    assert (waiting.status, waiting.attempts) == ("queued", 1)
    assert "not configured" in waiting.last_error


def test_a_claimed_email_is_not_claimed_by_a_second_worker(db_session, shop, smtp_settings, smtp_server):
    """Two workers claiming at once: only the first gets the row."""
    smtp_server.stop()
    row = queue(db_session, shop)
    due = fresh(db_session, row.id).next_attempt_at

    first = email_service.claim_due(db_session, now=due)
    second = email_service.claim_due(db_session, now=due)

    assert (first, second) == ([row.id], [])
    assert fresh(db_session, row.id).status == "sending"


def test_a_stale_claim_of_a_crashed_worker_is_sent_again(db_session, shop, smtp_settings, smtp_server):
    """A row left in sending for long is released and delivered."""
    smtp_server.stop()
    row = queue(db_session, shop)
    claimed_at = fresh(db_session, row.id).next_attempt_at
    email_service.claim_due(db_session, now=claimed_at)
    smtp_server.start()

    assert email_service.send_due(db_session, now=claimed_at + timedelta(minutes=1)).sent == 0
    assert email_service.send_due(db_session, now=claimed_at + timedelta(minutes=11)).sent == 1
    assert len(smtp_server.messages) == 1


def test_the_periodic_task_sends_what_is_due(db_session, shop, smtp_settings, smtp_server):
    """run_send_outbox (behind the every-minute task) delivers waiting emails."""
    smtp_server.stop()
    row = queue(db_session, shop)
    smtp_server.start()

    report = run_send_outbox(now=utcnow() + timedelta(minutes=5))

    assert report.sent == 1
    assert fresh(db_session, row.id).status == "sent"


def test_a_failed_login_never_puts_the_password_in_the_error(db_session, shop, smtp_server):
    """The server refuses AUTH: last_error explains it without the password."""
    platform, _store = shop
    smtp_service.save(
        db_session, platform_id=platform.id, host="127.0.0.1", port=smtp_server.port, security="none",
        username="mailer", password="Sup3r-Secret-PW", from_address="shop@example.lu",
    )
    row = queue(db_session, shop)

    waiting = fresh(db_session, row.id)
    assert waiting.status == "queued" and waiting.last_error
    assert "Sup3r-Secret-PW" not in waiting.last_error
    assert smtp_server.messages == []


def test_a_bad_recipient_address_is_refused_before_queueing(db_session, shop):
    """Queueing to something that is not an address is a validation error."""
    import pytest

    from orion_server.errors import ValidationError

    with pytest.raises(ValidationError):
        queue(db_session, shop, to="not an address")


def test_a_batch_that_outlasts_its_claim_sends_nothing_twice(db_session, shop, smtp_settings, smtp_server):
    """Worker A claims, then stalls (100 messages times a slow server can outlast the claim);
    worker B takes the stale claim over and sends. When A gets to the message, its claim is
    gone: it sends nothing, and the outbox keeps B's result (issue 10)."""
    smtp_server.stop()
    row = queue(db_session, shop)
    smtp_server.start()
    later = utcnow() + timedelta(minutes=1)
    claimed_by_a = email_service.claim_due(db_session, now=later)
    assert claimed_by_a == [row.id]

    report_b = email_service.send_due(db_session, now=later + timedelta(minutes=11))
    report_a = email_service.send_claimed(db_session, claimed_by_a, claimed_at=later)

    assert (report_b.sent, report_a.sent) == (1, 0)
    assert len(smtp_server.messages) == 1
    assert fresh(db_session, row.id).status == "sent"


class WorkerKilled(BaseException):
    """What a ``kill -9`` looks like from inside: nothing after it runs."""


def test_a_worker_dying_mid_batch_sends_nothing_it_delivered_again(
    db_session, shop, smtp_settings, smtp_server, monkeypatch
):
    """A worker delivers the first message of its batch, then dies while the second goes out.
    The first is recorded as sent the moment the server accepted it, so when the stale claims
    are taken over only the second goes out again: the server sees each message once (before,
    outcomes were written after the whole batch, and the whole batch went out twice)."""
    smtp_server.stop()
    first, second = queue(db_session, shop, to="anna@example.lu"), queue(db_session, shop, to="ben@example.lu")
    smtp_server.start()
    later = utcnow() + timedelta(minutes=1)
    claimed = email_service.claim_due(db_session, now=later)
    assert claimed == [first.id, second.id]

    real_send = smtplib.SMTP.send_message
    sent_by_dying_worker = []

    def send_then_die(self, message, *args, **kwargs):
        if sent_by_dying_worker:
            raise WorkerKilled
        sent_by_dying_worker.append(message["To"])
        return real_send(self, message, *args, **kwargs)

    monkeypatch.setattr("smtplib.SMTP.send_message", send_then_die)
    try:
        email_service.send_claimed(db_session, claimed, claimed_at=later)
    except WorkerKilled:
        pass
    monkeypatch.undo()
    db_session.rollback()
    assert fresh(db_session, first.id).status == "sent"
    assert fresh(db_session, second.id).status == "sending"

    report = email_service.send_due(db_session, now=later + CLAIM_TIMEOUT + timedelta(seconds=1))

    assert report.sent == 1
    assert sorted(m["To"] for m in smtp_server.messages) == ["anna@example.lu", "ben@example.lu"]


def test_every_attempt_at_one_message_carries_the_same_message_id(db_session, shop, smtp_settings, smtp_server):
    """Should a message go out twice (a worker died between the server's acceptance and its
    record), both copies carry one Message-ID, so mail programs show it once; two messages
    never share one."""
    first = queue(db_session, shop, to="anna@example.lu")
    second = queue(db_session, shop, to="ben@example.lu")
    row = fresh(db_session, first.id)
    settings = smtp_service.get(db_session, platform_id=shop[0].id)
    again = smtp_service.build_message(settings, to=row.to_address, subject=row.subject, html="<p>x</p>",
                                       text="x", outbox_id=row.id, queued_at=row.created_at)

    ids = [m["Message-ID"] for m in smtp_server.messages]
    assert ids[0] == again["Message-ID"] and ids[0] != ids[1]
    assert ids[0].endswith("@example.lu>") and f".{first.id}." in ids[0] and f".{second.id}." in ids[1]
