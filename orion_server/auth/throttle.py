"""Throttling password guesses on every sign-in form.

Failed sign-ins are counted per account (the e-mail address typed, on one kind of form) and per
client address. After ``MAX_FAILURES`` within ``WINDOW``, further attempts under that key are
refused with 429 for ``LOCKOUT``, before any password is checked, whether or not the account
exists. Refused attempts are not counted, so hammering a locked key does not extend the lockout.

An attempt is written down *before* its password is verified and removed when it succeeds, so
a hundred concurrent guesses count as a hundred, not as one each seen in isolation. The counts
live in the database the server already has, so every server process and restart sees them.
(The ``limits`` library counts in a process's memory or in Redis, which an operator's machine
does not run, and offers moving windows rather than a lockout that starts at the fifth failure.)
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from orion_server import audit
from orion_server.database import begin_write, utcnow
from orion_server.errors import AuthenticationError, TooManyAttemptsError
from orion_server.models import SignInAttempt

MAX_FAILURES = 5
WINDOW = timedelta(minutes=15)
LOCKOUT = timedelta(minutes=15)


@dataclass(frozen=True)
class Attempt:
    """Who tries to sign in where: ``form`` is ``admin``, ``store`` or ``storefront``."""

    form: str
    account: str
    address: str | None

    def keys(self) -> tuple[str, ...]:
        account = _key("account", self.form, self.account.strip().lower())
        if not self.address:
            return (account,)
        return (account, _key("address", self.form, self.address))


@dataclass
class Ticket:
    """An attempt under way: the rows written for it, removed again if it succeeds."""

    attempt: Attempt
    row_ids: list[int] = field(default_factory=list)


def _key(kind: str, form: str, value: str) -> str:
    return hashlib.sha256(f"{kind}|{form}|{value}".encode()).hexdigest()


def _lock_end(times: list[datetime]) -> datetime | None:
    """When the lockout that ``times`` (ascending) caused ends: ``LOCKOUT`` after the latest
    failure that completed ``MAX_FAILURES`` within ``WINDOW``; None if they never did."""
    end = None
    for i in range(MAX_FAILURES - 1, len(times)):
        if times[i] - times[i - MAX_FAILURES + 1] <= WINDOW:
            end = times[i] + LOCKOUT
    return end


def _refuse(end: datetime, now: datetime) -> TooManyAttemptsError:
    seconds = max(1, math.ceil((end - now).total_seconds()))
    return TooManyAttemptsError("too many failed sign-ins; try again later", retry_after=seconds)


def _times(db: Session, key: str, since: datetime, *, before_id: int | None = None) -> list[datetime]:
    query = select(SignInAttempt.attempted_at).where(SignInAttempt.key == key, SignInAttempt.attempted_at > since)
    if before_id is not None:
        query = query.where(SignInAttempt.id < before_id)
    return sorted(db.scalars(query))


def retry_after(db: Session, attempt: Attempt, *, now: datetime | None = None) -> int | None:
    """Seconds until ``attempt`` may be made, or None when it may be made now."""
    now = now or utcnow()
    ends = [_lock_end(_times(db, key, now - WINDOW - LOCKOUT)) for key in attempt.keys()]
    latest = max((end for end in ends if end is not None), default=None)
    if latest is None or latest <= now:
        return None
    return _refuse(latest, now).retry_after


def begin(db: Session, attempt: Attempt) -> Ticket:
    """Refuse a locked attempt (TooManyAttemptsError), else write it down and commit."""
    begin_write(db)  # reads the counts, then writes: one writer at a time on SQLite
    now = utcnow()
    wait = retry_after(db, attempt, now=now)
    if wait is not None:
        raise TooManyAttemptsError("too many failed sign-ins; try again later", retry_after=wait)
    ticket = Ticket(attempt)
    rows = [SignInAttempt(key=key, attempted_at=now) for key in attempt.keys()]
    db.add_all(rows)
    db.flush()
    ticket.row_ids = [row.id for row in rows]
    db.commit()
    # Attempts racing this one were written too: only the first MAX_FAILURES in the window go on.
    for key, row_id in zip(attempt.keys(), ticket.row_ids, strict=True):
        earlier = _times(db, key, now - WINDOW, before_id=row_id)
        if len(earlier) >= MAX_FAILURES:
            release(db, ticket)
            raise _refuse(_lock_end(earlier) or now + LOCKOUT, now)
    return ticket


def release(db: Session, ticket: Ticket) -> None:
    """Forget an attempt that was neither a success nor a failure (the server was busy)."""
    db.rollback()
    begin_write(db)
    db.execute(delete(SignInAttempt).where(SignInAttempt.id.in_(ticket.row_ids)))
    db.commit()


def failed(db: Session, ticket: Ticket) -> None:
    """The password was wrong (or the account may not sign in here): the attempt stays counted,
    the failure is audited, and so is a lockout it starts. Commits."""
    db.rollback()
    begin_write(db)
    attempt = ticket.attempt
    audit.record(db, "auth.sign_in_failed", actor_label=attempt.account, form=attempt.form, address=attempt.address)
    account_key = attempt.keys()[0]
    now = utcnow()
    recent = db.scalar(
        select(func.count()).where(SignInAttempt.key == account_key, SignInAttempt.attempted_at > now - WINDOW)
    )
    if recent == MAX_FAILURES:
        audit.record(db, "auth.locked_out", actor_label=attempt.account, form=attempt.form,
                     address=attempt.address, minutes=int(LOCKOUT.total_seconds() // 60))
    # Attempts too old to matter to any lockout go, so the table stays as small as the attacks.
    db.execute(delete(SignInAttempt).where(SignInAttempt.attempted_at < now - WINDOW - LOCKOUT))
    db.commit()


def succeeded(db: Session, ticket: Ticket) -> None:
    """The sign-in worked: the account's failures are forgiven (not the address's, so one good
    account cannot launder guesses at others). Added to the caller's transaction."""
    attempt = ticket.attempt
    begin_write(db)
    db.execute(
        delete(SignInAttempt).where(
            (SignInAttempt.key == attempt.keys()[0]) | SignInAttempt.id.in_(ticket.row_ids)
        )
    )
    audit.record(db, "auth.signed_in", actor_label=attempt.account, form=attempt.form, address=attempt.address)


@contextmanager
def guard(db: Session, attempt: Attempt) -> Iterator[Ticket]:
    """Run a password check under the throttle: an AuthenticationError inside counts as a
    failure, any other error forgets the attempt, a clean exit counts as a success (the caller
    commits, usually by starting the session)."""
    ticket = begin(db, attempt)
    try:
        yield ticket
    except AuthenticationError:
        failed(db, ticket)
        raise
    except BaseException:
        release(db, ticket)
        raise
    succeeded(db, ticket)
