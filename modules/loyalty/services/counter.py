"""What staff do at the counter: find a card (scanned or typed), add a stamp, add points for a
purchase, redeem a reward. Each action needs the staff member's PIN and is recorded with the
staff member, store, client address and user agent; stamps keep to the program's cooldown and
daily cap, checked with the card's row locked so two tills cannot both pass them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from modules.loyalty.exceptions import NoProgramError, refuse
from modules.loyalty.models import LoyaltyCard, LoyaltyProgram, LoyaltyReward, LoyaltyTransaction
from modules.loyalty.services import ledger, pins
from modules.loyalty.services.ledger import Counter
from modules.loyalty.services.programs import get_reward
from orion_server.database import begin_write, utcnow

MAX_PURCHASE_CENTS = 1_000_000


def add_stamp(db: Session, *, program: LoyaltyProgram, card: LoyaltyCard, pin: str, counter: Counter,
              at: datetime | None = None) -> LoyaltyTransaction:
    """One stamp on the card, within the cooldown and the daily cap."""
    now = at or utcnow()
    if not program.stamps_enabled:
        raise refuse("card", "stamps_off")
    pins.check_pin(db, program=program, user_id=counter.staff_user_id or 0, pin=pin, at=now)
    begin_write(db)
    locked = ledger.locked_card(db, card.id)
    ledger.check_stamp_limits(db, program, locked, now)
    entry = ledger.record(db, locked, kind="stamp", stamps=1, at=now, counter=counter)
    db.commit()
    return entry


def points_for(program: LoyaltyProgram, amount_cents: int) -> int:
    """Points a purchase of ``amount_cents`` earns: ``points_per_euro`` per whole euro."""
    return max(0, amount_cents) // 100 * program.points_per_euro


def parse_amount(text: str) -> int:
    """A purchase amount typed at the till (``12.50`` or ``12,50``) in cents."""
    raw = (text or "").strip().replace(",", ".")
    try:
        whole, _, fraction = raw.partition(".")
        if not whole.isdigit() or (fraction and (not fraction.isdigit() or len(fraction) > 2)):
            raise ValueError
        cents = int(whole) * 100 + int((fraction + "00")[:2])
    except ValueError:
        raise refuse("amount", "amount_invalid") from None
    if not 0 < cents <= MAX_PURCHASE_CENTS:
        raise refuse("amount", "amount_range", max=MAX_PURCHASE_CENTS // 100)
    return cents


def add_points(db: Session, *, program: LoyaltyProgram, card: LoyaltyCard, amount: str, pin: str,
               counter: Counter, at: datetime | None = None) -> LoyaltyTransaction:
    """Points for a purchase made at the till."""
    now = at or utcnow()
    if not program.points_enabled:
        raise refuse("amount", "points_off")
    cents = parse_amount(amount)
    points = points_for(program, cents)
    if points <= 0:
        raise refuse("amount", "amount_too_small")
    pins.check_pin(db, program=program, user_id=counter.staff_user_id or 0, pin=pin, at=now)
    begin_write(db)
    locked = ledger.locked_card(db, card.id)
    entry = ledger.record(db, locked, kind="points", points=points, amount_cents=cents, at=now, counter=counter)
    db.commit()
    return entry


def redeem(db: Session, *, program: LoyaltyProgram, card: LoyaltyCard, reward_id: int, pin: str,
           counter: Counter, at: datetime | None = None) -> tuple[LoyaltyTransaction, LoyaltyReward]:
    """Hand over a reward: its price in stamps or points leaves the card."""
    now = at or utcnow()
    try:
        reward = get_reward(db, program, reward_id)
    except NoProgramError:  # another program's reward, or none
        raise refuse("reward", "reward_unknown") from None
    if not reward.is_active:
        raise refuse("reward", "reward_unknown")
    pins.check_pin(db, program=program, user_id=counter.staff_user_id or 0, pin=pin, at=now)
    begin_write(db)
    locked = ledger.locked_card(db, card.id)
    balance = locked.stamps_balance if reward.currency == "stamps" else locked.points_balance
    if balance < reward.cost:
        db.rollback()
        raise refuse("reward", f"not_enough_{reward.currency}", cost=reward.cost, balance=balance)
    stamps, points = (-reward.cost, 0) if reward.currency == "stamps" else (0, -reward.cost)
    entry = ledger.record(db, locked, kind="redeem", stamps=stamps, points=points, at=now, counter=counter,
                          reward_id=reward.id)
    db.commit()
    return entry, reward
