"""Counter PINs: every counter action needs the staff member's 4–6 digit PIN, kept as an
argon2id hash per program; after ``pin_max_failures`` wrong tries in a row it is locked for
``pin_lock_minutes`` (program settings), and a manager can clear it."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import select
from sqlalchemy.orm import Session

from modules.loyalty.exceptions import refuse
from modules.loyalty.models import LoyaltyProgram, LoyaltyStaffPin
from orion_server.database import begin_write, utcnow

_hasher = PasswordHasher(time_cost=2, memory_cost=8 * 1024, parallelism=1)
"""argon2id, lighter than the passwords' (64 MiB, 4 lanes): a PIN is checked at every counter
action, several tills at once, and its real guard is the lockout (a million PINs of 6 digits
are no secret a slow hash could keep from whoever holds the database)."""


def hash_pin(pin: str) -> str:
    return _hasher.hash(pin)


def verify_pin(pin_hash: str, pin: str) -> bool:
    try:
        return _hasher.verify(pin_hash, pin)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def _valid(pin: str) -> bool:
    return pin.isascii() and pin.isdigit() and 4 <= len(pin) <= 6


def pin_of(db: Session, program: LoyaltyProgram, user_id: int, *, lock: bool = False) -> LoyaltyStaffPin | None:
    """The staff member's PIN record in the program, or None when they have set none; ``lock``:
    its row locked for this write, as it is now."""
    statement = select(LoyaltyStaffPin).where(
        LoyaltyStaffPin.program_id == program.id, LoyaltyStaffPin.user_id == user_id
    )
    if lock:
        statement = statement.with_for_update().execution_options(populate_existing=True)
    return db.scalar(statement)


def set_pin(db: Session, *, program: LoyaltyProgram, user_id: int, pin: str, confirm: str,
            current: str | None = None, at: datetime | None = None) -> None:
    """Set the staff member's PIN. Changing one needs the current PIN (a forgotten or locked
    one is cleared by a manager first)."""
    pin = (pin or "").strip()
    if not _valid(pin):
        raise refuse("pin", "pin_format")
    if pin != (confirm or "").strip():
        raise refuse("pin_confirm", "pin_mismatch")
    existing = pin_of(db, program, user_id)
    if existing is not None:
        check_pin(db, program=program, user_id=user_id, pin=current or "", field_name="current_pin", at=at)
    hashed = hash_pin(pin)
    begin_write(db)
    existing = pin_of(db, program, user_id, lock=True)
    if existing is None:
        db.add(LoyaltyStaffPin(program_id=program.id, user_id=user_id, pin_hash=hashed, updated_at=at or utcnow()))
    else:
        existing.pin_hash, existing.failures, existing.locked_until = hashed, 0, None
        existing.updated_at = at or utcnow()
    db.commit()


def clear_pin(db: Session, *, program: LoyaltyProgram, user_id: int) -> bool:
    """Remove a staff member's PIN (forgotten, or locked): they set a new one. False if none."""
    begin_write(db)
    existing = pin_of(db, program, user_id)
    if existing is None:
        return False
    db.delete(existing)
    db.commit()
    return True


def check_pin(db: Session, *, program: LoyaltyProgram, user_id: int, pin: str, field_name: str = "pin",
              at: datetime | None = None) -> None:
    """Accept the staff member's PIN, or refuse it: none set, locked, or wrong (a wrong one is
    counted, and committed before the refusal, so the count survives the failed action)."""
    now = at or utcnow()
    record = pin_of(db, program, user_id)
    if record is None:
        raise refuse(field_name, "pin_not_set")
    if record.locked_until is not None and record.locked_until > now:
        raise refuse(field_name, "pin_locked", count=_minutes_until(record.locked_until, now))
    if _valid((pin or "").strip()) and verify_pin(record.pin_hash, pin.strip()):
        if record.failures or record.locked_until:
            begin_write(db)
            record = pin_of(db, program, user_id, lock=True)
            if record is not None:
                record.failures, record.locked_until = 0, None
            db.commit()
        return
    begin_write(db)
    record = pin_of(db, program, user_id, lock=True)
    if record is None:
        raise refuse(field_name, "pin_not_set")
    if record.locked_until is not None and record.locked_until > now:  # locked meanwhile
        db.commit()
        raise refuse(field_name, "pin_locked", count=_minutes_until(record.locked_until, now))
    if record.locked_until is not None:
        record.failures = 0  # the lock ran out: counting starts again
    record.locked_until = None
    record.failures += 1
    locked = record.failures >= program.pin_max_failures
    if locked:
        record.locked_until = now + timedelta(minutes=program.pin_lock_minutes)
        record.failures = 0
    db.commit()
    if locked:
        raise refuse(field_name, "pin_locked", count=program.pin_lock_minutes)
    raise refuse(field_name, "pin_wrong", count=program.pin_max_failures - record.failures)


def _minutes_until(until: datetime, now: datetime) -> int:
    return max(1, math.ceil((until - now).total_seconds() / 60))
