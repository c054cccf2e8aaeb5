"""The ledger of loyalty cards: every change of a balance is a transaction written in the same
write as the card's new balance, with the card's row locked first, so a balance always equals
the sum of its card's transactions (``balance_mismatches`` checks it) even when staff at two
tills stamp the same card at once. Transactions are never edited: ``void`` adds one that takes
another's amounts back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from modules.loyalty.exceptions import LoyaltyInputError, NoProgramError, Problem, refuse
from modules.loyalty.models import LoyaltyCard, LoyaltyProgram, LoyaltyTransaction
from orion_server.database import begin_write, utcnow

LOCAL_ZONE = ZoneInfo("Europe/Luxembourg")
"""The day of the daily stamp cap is a day in Luxembourg."""
MAX_REASON = 300
MAX_ADJUST_STAMPS = 1000
MAX_ADJUST_POINTS = 1_000_000


@dataclass(frozen=True)
class Counter:
    """Who did something at the counter, and from where (kept on every transaction)."""

    store_id: int
    staff_user_id: int | None
    client_address: str = ""
    user_agent: str = ""


def locked_card(db: Session, card_id: int) -> LoyaltyCard:
    """The card, its row locked for this write (after ``begin_write``), as it is now."""
    card = db.scalar(
        select(LoyaltyCard).where(LoyaltyCard.id == card_id).with_for_update().execution_options(populate_existing=True)
    )
    if card is None:
        raise NoProgramError(f"no card {card_id}")
    return card


def record(
    db: Session,
    card: LoyaltyCard,
    *,
    kind: str,
    stamps: int = 0,
    points: int = 0,
    at: datetime | None = None,
    counter: Counter | None = None,
    store_id: int | None = None,
    amount_cents: int | None = None,
    order_id: int | None = None,
    reward_id: int | None = None,
    voids_id: int | None = None,
    source_key: str | None = None,
    reason: str = "",
) -> LoyaltyTransaction:
    """Write one transaction and move the (locked) card's balances by it; flushed, not committed."""
    now = at or utcnow()
    entry = LoyaltyTransaction(
        program_id=card.program_id,
        card_id=card.id,
        store_id=counter.store_id if counter else store_id,
        kind=kind,
        stamps=stamps,
        points=points,
        amount_cents=amount_cents,
        order_id=order_id,
        reward_id=reward_id,
        voids_id=voids_id,
        source_key=source_key,
        reason=reason[:MAX_REASON],
        staff_user_id=counter.staff_user_id if counter else None,
        client_address=(counter.client_address if counter else "")[:64],
        user_agent=(counter.user_agent if counter else "")[:300],
        created_at=now,
    )
    db.add(entry)
    card.stamps_balance += stamps
    card.points_balance += points
    card.updated_at = now
    db.flush()
    return entry


def has_source(db: Session, program_id: int, source_key: str) -> bool:
    """Whether a transaction was already made for ``source_key`` in the program."""
    return db.scalar(
        select(LoyaltyTransaction.id).where(
            LoyaltyTransaction.program_id == program_id, LoyaltyTransaction.source_key == source_key
        )
    ) is not None


def not_voided():
    voider = aliased(LoyaltyTransaction)
    return ~select(voider.id).where(voider.voids_id == LoyaltyTransaction.id).exists()


def local_day_start(at: datetime) -> datetime:
    """Midnight in Luxembourg of the day ``at`` falls on, as a UTC time."""
    local = at.astimezone(LOCAL_ZONE)
    return local.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(at.tzinfo)


def check_stamp_limits(db: Session, program: LoyaltyProgram, card: LoyaltyCard, at: datetime) -> None:
    """Refuse a counter stamp during the cooldown after the card's last one, or past the
    day's cap (stamps taken back by a void do not count)."""
    stamps = (
        select(LoyaltyTransaction.created_at)
        .where(LoyaltyTransaction.card_id == card.id, LoyaltyTransaction.kind == "stamp", not_voided())
    )
    last = db.scalar(stamps.order_by(LoyaltyTransaction.created_at.desc()).limit(1))
    if last is not None and program.cooldown_minutes:
        ready = last + timedelta(minutes=program.cooldown_minutes)
        if at < ready:
            minutes = max(1, int((ready - at).total_seconds() // 60) + (1 if (ready - at).total_seconds() % 60 else 0))
            raise refuse("card", "cooldown", count=minutes)
    today = db.scalar(
        select(func.coalesce(func.sum(LoyaltyTransaction.stamps), 0)).where(
            LoyaltyTransaction.card_id == card.id,
            LoyaltyTransaction.kind == "stamp",
            LoyaltyTransaction.created_at >= local_day_start(at),
            not_voided(),
        )
    ) or 0
    if today >= program.daily_stamp_cap:
        raise refuse("card", "daily_cap", cap=program.daily_stamp_cap)


def void(db: Session, *, program: LoyaltyProgram, transaction_id: int, reason: str, counter: Counter,
         at: datetime | None = None) -> LoyaltyTransaction:
    """Take a transaction back with a new one (a manager's decision, with a reason); committed."""
    reason = (reason or "").strip()
    if not reason:
        raise refuse("reason", "reason_required")
    if len(reason) > MAX_REASON:
        raise refuse("reason", "too_long", max=MAX_REASON)
    begin_write(db)
    original = db.get(LoyaltyTransaction, transaction_id)
    if original is None or original.program_id != program.id:
        raise NoProgramError(f"no transaction {transaction_id}")
    card = locked_card(db, original.card_id)
    if original.kind == "void":
        raise refuse("transaction", "void_of_void")
    if db.scalar(select(LoyaltyTransaction.id).where(LoyaltyTransaction.voids_id == original.id)) is not None:
        raise refuse("transaction", "already_voided")
    entry = record(db, card, kind="void", stamps=-original.stamps, points=-original.points, at=at,
                   counter=counter, voids_id=original.id, reason=reason, order_id=original.order_id)
    db.commit()
    return entry


def adjust(db: Session, *, program: LoyaltyProgram, card_id: int, stamps: int, points: int, reason: str,
           counter: Counter, at: datetime | None = None) -> LoyaltyTransaction:
    """A manual correction of a card's balances, with a reason; committed."""
    reason = (reason or "").strip()
    problems: list[Problem] = []
    if not reason:
        problems.append(Problem("reason", "loyalty.errors.reason_required"))
    elif len(reason) > MAX_REASON:
        problems.append(Problem("reason", "loyalty.errors.too_long", {"max": MAX_REASON}))
    if not stamps and not points:
        problems.append(Problem("stamps", "loyalty.errors.adjust_nothing"))
    if abs(stamps) > MAX_ADJUST_STAMPS:
        problems.append(Problem("stamps", "loyalty.errors.between", {"min": -MAX_ADJUST_STAMPS, "max": MAX_ADJUST_STAMPS}))
    if abs(points) > MAX_ADJUST_POINTS:
        problems.append(Problem("points", "loyalty.errors.between", {"min": -MAX_ADJUST_POINTS, "max": MAX_ADJUST_POINTS}))
    if problems:
        raise LoyaltyInputError(problems)
    begin_write(db)
    card = card_of_program(db, program, card_id, lock=True)
    entry = record(db, card, kind="adjustment", stamps=stamps, points=points, at=at, counter=counter, reason=reason)
    db.commit()
    return entry


def card_of_program(db: Session, program: LoyaltyProgram, card_id: int, *, lock: bool = False) -> LoyaltyCard:
    """A card of ``program`` (locked for a write when ``lock``); NoProgramError (404) otherwise."""
    card = locked_card(db, card_id) if lock else db.get(LoyaltyCard, card_id)
    if card is None or card.program_id != program.id:
        raise NoProgramError(f"no card {card_id}")
    return card


def balance_mismatches(db: Session) -> list[tuple[int, int, int, int, int]]:
    """Cards whose balances differ from the sum of their transactions:
    ``(card id, stamps, stamps summed, points, points summed)``; empty when the ledger holds."""
    sums = (
        select(
            LoyaltyTransaction.card_id,
            func.sum(LoyaltyTransaction.stamps).label("stamps"),
            func.sum(LoyaltyTransaction.points).label("points"),
        )
        .group_by(LoyaltyTransaction.card_id)
        .subquery()
    )
    rows = db.execute(
        select(LoyaltyCard.id, LoyaltyCard.stamps_balance, func.coalesce(sums.c.stamps, 0),
               LoyaltyCard.points_balance, func.coalesce(sums.c.points, 0))
        .outerjoin(sums, sums.c.card_id == LoyaltyCard.id)
    ).all()
    return [tuple(row) for row in rows if row[1] != row[2] or row[3] != row[4]]  # type: ignore[misc]
