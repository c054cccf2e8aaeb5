"""What the program's numbers say: stamps and points issued and redeemed per day, members, and
rewards redeemed in a period (the dashboard's report and widgets)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from modules.loyalty.models import LoyaltyCard, LoyaltyProgram, LoyaltyTransaction
from modules.loyalty.services.ledger import LOCAL_ZONE, not_voided
from orion_server.database import utcnow

ISSUING = ("stamp", "points", "order", "adjustment")
REDEEMING = ("redeem", "discount", "discount_back")
MAX_DAYS = 366


@dataclass
class Day:
    day: date
    stamps_issued: int = 0
    stamps_redeemed: int = 0
    points_issued: int = 0
    points_redeemed: int = 0

    @property
    def busy(self) -> bool:
        """Anything was given or redeemed that day."""
        return any((self.stamps_issued, self.stamps_redeemed, self.points_issued, self.points_redeemed))


def _local_start(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=LOCAL_ZONE)


def daily(db: Session, program: LoyaltyProgram, *, first: date, last: date) -> list[Day]:
    """Every day from ``first`` to ``last`` (Luxembourg days), newest first: what the program's
    cards got (counter, orders, positive corrections) and gave (rewards, discounts). Voids and
    reversals count against the day they happened on, as negative issues."""
    if (last - first).days >= MAX_DAYS:
        first = last - timedelta(days=MAX_DAYS - 1)
    rows = db.execute(
        select(LoyaltyTransaction.created_at, LoyaltyTransaction.kind, LoyaltyTransaction.stamps,
               LoyaltyTransaction.points)
        .where(LoyaltyTransaction.program_id == program.id,
               LoyaltyTransaction.created_at >= _local_start(first),
               LoyaltyTransaction.created_at < _local_start(last + timedelta(days=1)))
    ).all()
    days = {first + timedelta(days=n): Day(first + timedelta(days=n)) for n in range((last - first).days + 1)}
    for created_at, kind, stamps, points in rows:
        entry = days.get(created_at.astimezone(LOCAL_ZONE).date())
        if entry is None:
            continue
        if kind in REDEEMING:
            entry.stamps_redeemed -= stamps
            entry.points_redeemed -= points
        else:  # earning, and what voids or reversals took back from it
            entry.stamps_issued += stamps
            entry.points_issued += points
    return sorted(days.values(), key=lambda d: d.day, reverse=True)


def member_count(db: Session, program: LoyaltyProgram) -> int:
    return db.scalar(select(func.count()).where(LoyaltyCard.program_id == program.id)) or 0


def redeemed_since(db: Session, program: LoyaltyProgram, since: datetime) -> int:
    """Rewards handed over (and not voided) since ``since``."""
    return db.scalar(
        select(func.count()).where(
            LoyaltyTransaction.program_id == program.id,
            LoyaltyTransaction.kind == "redeem",
            LoyaltyTransaction.created_at >= since,
            not_voided(),
        )
    ) or 0


def local_today(now: datetime | None = None) -> date:
    """Today in Luxembourg."""
    return (now or utcnow()).astimezone(LOCAL_ZONE).date()


def month_start(now: datetime | None = None) -> datetime:
    """The first moment of the current month in Luxembourg."""
    local = (now or utcnow()).astimezone(LOCAL_ZONE)
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def totals(db: Session, program: LoyaltyProgram) -> dict[str, int]:
    """Balances outstanding over every card (what the program owes its members)."""
    stamps, points = db.execute(
        select(func.coalesce(func.sum(LoyaltyCard.stamps_balance), 0),
               func.coalesce(func.sum(case((LoyaltyCard.points_balance > 0, LoyaltyCard.points_balance), else_=0)), 0))
        .where(LoyaltyCard.program_id == program.id)
    ).one()
    return {"stamps": int(stamps), "points": int(points)}
