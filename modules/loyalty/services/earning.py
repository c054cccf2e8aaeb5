"""What customers earn by buying online: when an order is paid, its customer's card gets the
program's stamps per order and points per euro (shipping left out), once per order however often
the event arrives; a cancelled or refunded order takes them back, once."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from modules.loyalty.models import LoyaltyTransaction
from modules.loyalty.services import ledger
from modules.loyalty.services.cards import card_for_customer
from modules.loyalty.services.counter import points_for
from modules.loyalty.services.programs import program_for_store
from orion_server.database import begin_write


def earn_key(order_id: int) -> str:
    return f"order:{order_id}:earn"


def reversal_key(order_id: int) -> str:
    return f"order:{order_id}:reverse"


def earn_for_order(db: Session, *, store_id: int, order_id: int, customer_id: int | None, total_cents: int,
                   shipping_cents: int) -> LoyaltyTransaction | None:
    """Credit the paid order to its customer's card (flushed: the caller commits). None when
    nothing is earned: no program running, no card, or already credited."""
    if customer_id is None:
        return None
    program = program_for_store(db, store_id)
    if program is None or not program.is_active:
        return None
    card = card_for_customer(db, program, customer_id)
    if card is None:
        return None
    stamps = program.stamps_per_order if program.stamps_enabled else 0
    points = points_for(program, total_cents - shipping_cents) if program.points_enabled else 0
    if not stamps and not points:
        return None
    begin_write(db)
    if ledger.has_source(db, program.id, earn_key(order_id)):
        return None
    locked = ledger.locked_card(db, card.id)
    return ledger.record(db, locked, kind="order", stamps=stamps, points=points, store_id=store_id,
                         amount_cents=total_cents - shipping_cents, order_id=order_id, source_key=earn_key(order_id))


def reverse_for_order(db: Session, *, store_id: int, order_id: int) -> LoyaltyTransaction | None:
    """Take back what the order earned (flushed: the caller commits); None when it earned nothing
    or was taken back already."""
    program = program_for_store(db, store_id)
    if program is None:
        return None
    begin_write(db)
    entry = db.scalar(select(LoyaltyTransaction).where(
        LoyaltyTransaction.program_id == program.id, LoyaltyTransaction.source_key == earn_key(order_id)
    ))
    if entry is None or ledger.has_source(db, program.id, reversal_key(order_id)):
        return None
    locked = ledger.locked_card(db, entry.card_id)
    return ledger.record(db, locked, kind="order_reversal", stamps=-entry.stamps, points=-entry.points,
                         store_id=store_id, order_id=order_id, source_key=reversal_key(order_id))
