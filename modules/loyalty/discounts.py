"""Points as a discount at checkout (``modules.contracts.checkout_discounts``, declared in the
definition): a member with at least the program's fewest points to redeem may pay part of the
goods with them, at the program's value per point. The points leave the card when checkout
holds them (keyed by the order's idempotency key) and come back when placing fails or the order
is cancelled or refunded."""

from __future__ import annotations

import math
from typing import Any

from sqlalchemy import select

from modules.contracts.checkout_discounts import DiscountOffer
from modules.loyalty.exceptions import refuse
from modules.loyalty.models import LoyaltyTransaction
from modules.loyalty.services import ledger
from modules.loyalty.services.cards import card_for_customer
from modules.loyalty.services.programs import program_for_store
from orion_server.database import begin_write
from orion_server.i18n import t
from orion_server.money import format_money

KEY = "loyalty.points"


def hold_key(reference: str) -> str:
    return f"discount:{reference}"[:80]


def release_key(reference: str) -> str:
    return f"discount-back:{reference}"[:80]


def points_for_cents(point_value_cents: int, cents: int) -> int:
    return math.ceil(cents / max(1, point_value_cents))


class PointsDiscount:
    def offers(self, db: Any, *, store_id: int, customer_id: int, goods_cents: int,
               language: str) -> list[DiscountOffer]:
        program = program_for_store(db, store_id)
        if program is None or not program.is_active or not program.points_enabled:
            return []
        card = card_for_customer(db, program, customer_id)
        if card is None or card.points_balance < program.min_redeem_points or goods_cents <= 0:
            return []
        cents = min(card.points_balance * program.point_value_cents, goods_cents)
        points = points_for_cents(program.point_value_cents, cents)
        return [DiscountOffer(
            key=KEY,
            label=t("loyalty.checkout.use_points", language, count=points),
            detail=t("loyalty.checkout.points_worth", language, amount=format_money(cents, language)),
            cents=cents,
        )]

    def hold(self, db: Any, *, store_id: int, customer_id: int, key: str, cents: int, reference: str) -> None:
        if key != KEY:
            return
        program = program_for_store(db, store_id)
        card = card_for_customer(db, program, customer_id) if program is not None else None
        if program is None or card is None:
            raise refuse("discounts", "discount_gone")
        points = points_for_cents(program.point_value_cents, cents)
        begin_write(db)
        if ledger.has_source(db, program.id, hold_key(reference)):
            db.commit()
            return
        locked = ledger.locked_card(db, card.id)
        if locked.points_balance < points:
            db.rollback()
            raise refuse("discounts", "discount_gone")
        ledger.record(db, locked, kind="discount", points=-points, amount_cents=cents, store_id=store_id,
                      source_key=hold_key(reference))
        db.commit()

    def release(self, db: Any, *, store_id: int, reference: str) -> None:
        give_back(db, store_id=store_id, reference=reference)
        db.commit()


def give_back(db: Any, *, store_id: int, reference: str) -> LoyaltyTransaction | None:
    """Return the points held for ``reference`` (flushed: the caller commits), once."""
    program = program_for_store(db, store_id)
    if program is None:
        return None
    begin_write(db)
    held = db.scalar(select(LoyaltyTransaction).where(
        LoyaltyTransaction.program_id == program.id, LoyaltyTransaction.source_key == hold_key(reference)))
    if held is None or ledger.has_source(db, program.id, release_key(reference)):
        return None
    locked = ledger.locked_card(db, held.card_id)
    return ledger.record(db, locked, kind="discount_back", points=-held.points, amount_cents=held.amount_cents,
                         store_id=store_id, source_key=release_key(reference))
