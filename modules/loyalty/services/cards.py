"""Loyalty cards: a customer joins from their storefront account or is enrolled at the counter;
each card has a code (printed in groups, and as a QR code) that staff scan or type."""

from __future__ import annotations

import io
import re
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from modules.contracts.customer_directory import CustomerSummary, customer_directory
from modules.loyalty.exceptions import NoProgramError, refuse
from modules.loyalty.models import LoyaltyCard, LoyaltyProgram, LoyaltyReward, LoyaltyTransaction
from modules.loyalty.services.programs import program_store_ids, rewards_of
from orion_server.database import begin_write, utcnow
from orion_server.pagination import Page

CODE_ALPHABET = "ACDEFGHJKLMNPQRTUVWXY34679"
"""Letters and digits nobody misreads at a till (no 0/O, 1/I/L, 2/Z, 5/S, 8/B)."""
CODE_LENGTH = 12
HISTORY_PAGE = 20


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: str) -> str:
    """A typed or scanned code as stored: capitals, without spaces or dashes."""
    return re.sub(r"[^A-Z0-9]", "", (text or "").upper())[:40]


def shown_code(code: str) -> str:
    """The code in groups of four, as printed on the card."""
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def card_for_customer(db: Session, program: LoyaltyProgram, customer_id: int) -> LoyaltyCard | None:
    return db.scalar(
        select(LoyaltyCard).where(LoyaltyCard.program_id == program.id, LoyaltyCard.customer_id == customer_id)
    )


def card_by_code(db: Session, program: LoyaltyProgram, text: str) -> LoyaltyCard:
    """The program's card with this code (typed with or without dashes, or scanned)."""
    code = normalise_code(text)
    if not code:
        raise refuse("code", "code_required")
    card = db.scalar(select(LoyaltyCard).where(LoyaltyCard.code == code, LoyaltyCard.program_id == program.id))
    if card is None:
        raise refuse("code", "card_unknown")
    return card


def join(db: Session, *, program: LoyaltyProgram, store_id: int, customer_id: int,
         enrolled_by_user_id: int | None = None) -> tuple[LoyaltyCard, bool]:
    """The customer's card, made now if they have none: ``(card, created)``."""
    begin_write(db)
    existing = card_for_customer(db, program, customer_id)
    if existing is not None:
        db.commit()
        return existing, False
    for _attempt in range(5):
        card = LoyaltyCard(program_id=program.id, store_id=store_id, customer_id=customer_id, code=new_code(),
                           enrolled_by_user_id=enrolled_by_user_id, created_at=utcnow(), updated_at=utcnow())
        try:
            with db.begin_nested():
                db.add(card)
        except IntegrityError:
            existing = card_for_customer(db, program, customer_id)
            if existing is not None:  # joined meanwhile (another tab, another till)
                db.commit()
                return existing, False
            continue  # the code was taken: draw another
        db.commit()
        return card, True
    raise RuntimeError("no free card code after 5 draws")


def enrol(db: Session, *, program: LoyaltyProgram, store_id: int, platform_id: int, customer: str,
          staff_user_id: int) -> tuple[LoyaltyCard, bool]:
    """Staff enrol a customer of the store, found by e-mail or customer number."""
    directory = customer_directory(db, platform_id=platform_id)
    found = directory.find(db, store_id=store_id, text=customer) if directory is not None else None
    if not (customer or "").strip():
        raise refuse("customer", "customer_required")
    if found is None:
        raise refuse("customer", "customer_unknown")
    return join(db, program=program, store_id=store_id, customer_id=found.id, enrolled_by_user_id=staff_user_id)


# -- what a card shows ------------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    """How far a card is from its next reward in one currency (stamps or points)."""

    currency: str
    balance: int
    goal: int
    """The cost of the next reward the balance does not reach yet (or of the dearest reached)."""
    reachable: list[LoyaltyReward]
    """Rewards the balance pays for now."""

    @property
    def percent(self) -> int:
        return 100 if self.goal <= 0 else max(0, min(100, round(self.balance * 100 / self.goal)))

    @property
    def missing(self) -> int:
        return max(0, self.goal - self.balance)


def progress_of(program: LoyaltyProgram, card: LoyaltyCard) -> list[Progress]:
    """The card's progress in each currency the program uses."""
    rewards = rewards_of(program)
    found = []
    for currency, on, balance in (("stamps", program.stamps_enabled, card.stamps_balance),
                                  ("points", program.points_enabled, card.points_balance)):
        if not on:
            continue
        priced = [r for r in rewards if r.currency == currency]
        reachable = [r for r in priced if r.cost <= balance]
        ahead = [r.cost for r in priced if r.cost > balance]
        default_goal = program.stamps_goal if currency == "stamps" else program.min_redeem_points
        goal = min(ahead) if ahead else (max(r.cost for r in reachable) if reachable else default_goal)
        found.append(Progress(currency, balance, goal, reachable))
    return found


def history(db: Session, card: LoyaltyCard, *, page: int = 1, per_page: int = HISTORY_PAGE) -> Page:
    """The card's transactions, newest first, with which of them were voided."""
    page = max(1, page)
    statement = select(LoyaltyTransaction).where(LoyaltyTransaction.card_id == card.id)
    total = db.scalar(select(func.count()).select_from(statement.subquery())) or 0
    items = list(db.scalars(
        statement.order_by(LoyaltyTransaction.created_at.desc(), LoyaltyTransaction.id.desc())
        .offset((page - 1) * per_page).limit(per_page)
    ))
    return Page(items=items, total=total, page=page, per_page=per_page)


def voided_ids(db: Session, transactions: list[LoyaltyTransaction]) -> set[int]:
    """Which of ``transactions`` were voided."""
    ids = [t.id for t in transactions]
    if not ids:
        return set()
    return set(db.scalars(select(LoyaltyTransaction.voids_id).where(LoyaltyTransaction.voids_id.in_(ids))))


def qr_svg(code: str) -> str:
    """The card's code as a QR code, an SVG drawing (no fill colour of its own: black on white)."""
    import qrcode
    from qrcode.constants import ERROR_CORRECT_M
    from qrcode.image.svg import SvgPathImage

    image = qrcode.make(code, image_factory=SvgPathImage, error_correction=ERROR_CORRECT_M, border=2)
    out = io.BytesIO()
    image.save(out)
    return out.getvalue().decode()


# -- members ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Member:
    card: LoyaltyCard
    customer: CustomerSummary | None


def members(db: Session, *, program: LoyaltyProgram, platform_id: int, query: str = "", page: int = 1,
            per_page: int = 25) -> Page:
    """The program's cards with their customers, newest first; ``query`` finds a card by code
    or a customer by name, e-mail or number."""
    page = max(1, page)
    per_page = max(1, min(per_page, 100))
    directory = customer_directory(db, platform_id=platform_id)
    statement = select(LoyaltyCard).where(LoyaltyCard.program_id == program.id)
    text = (query or "").strip()[:100]
    if text:
        ids: list[int] = []
        if directory is not None:
            ids = [c.id for c in directory.search(db, store_ids=program_store_ids(db, program), text=text, limit=200)]
        code = normalise_code(text)
        conditions = [LoyaltyCard.customer_id.in_(ids)] if ids else []
        if code:
            conditions.append(LoyaltyCard.code.like(f"%{code}%"))
        if not conditions:
            return Page(items=[], total=0, page=page, per_page=per_page)
        statement = statement.where(or_(*conditions))
    total = db.scalar(select(func.count()).select_from(statement.subquery())) or 0
    cards = list(db.scalars(
        statement.order_by(LoyaltyCard.created_at.desc(), LoyaltyCard.id.desc()).offset((page - 1) * per_page).limit(per_page)
    ))
    people = directory.describe(db, customer_ids=[c.customer_id for c in cards]) if directory is not None else {}
    return Page(items=[Member(card, people.get(card.customer_id)) for card in cards], total=total, page=page,
                per_page=per_page)


def member(db: Session, *, program: LoyaltyProgram, platform_id: int, card_id: int) -> Member:
    card = db.get(LoyaltyCard, card_id)
    if card is None or card.program_id != program.id:
        raise NoProgramError(f"no card {card_id}")
    directory = customer_directory(db, platform_id=platform_id)
    people: Any = directory.describe(db, customer_ids=[card.customer_id]) if directory is not None else {}
    return Member(card, people.get(card.customer_id))
