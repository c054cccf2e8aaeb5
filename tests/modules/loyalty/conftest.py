"""A bakery with loyalty on (stamps and points), a registered customer with a card, a member of
staff allowed at the counter with a PIN set, and helpers to pay orders and read the ledger."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from modules.loyalty.services import cards, ledger, pins, programs
from orion_server.modules.service import module_service

PIN = "4821"
PROGRAM = {
    "name": "Boulangerie club", "is_active": True, "stamps_enabled": True, "points_enabled": True,
    "stamps_goal": 10, "stamps_per_order": 1, "points_per_euro": 2, "point_value_cents": 1,
    "min_redeem_points": 100, "cooldown_minutes": 15, "daily_stamp_cap": 5, "pin_max_failures": 5,
    "pin_lock_minutes": 30, "terms_en": "One card per person.", "terms_fr": "Une carte par personne.",
}


@dataclass
class Club:
    platform: Any
    store: Any
    program: Any
    customer: Any
    card: Any
    clerk: Any


def enable(db, platform, modules=("catalog", "orders", "customers", "loyalty")) -> None:
    for code in modules:
        module_service.enable_module(db, platform.id, code)
    db.commit()


@pytest.fixture
def club(factories, db_session) -> Club:
    platform = factories.platform(code="lux")
    enable(db_session, platform)
    store = factories.store(platform, code="bakery", languages=["en", "fr"], default_language="en")
    program = programs.save_program(db_session, store_id=store.id, values=PROGRAM)
    customer = factories.customer(store, "anna@example.com")
    card, _ = cards.join(db_session, program=program, store_id=store.id, customer_id=customer.id)
    clerk = factories.staff(store, permissions=["loyalty.view", "loyalty.counter"])
    pins.set_pin(db_session, program=program, user_id=clerk.id, pin=PIN, confirm=PIN)
    db_session.commit()
    return Club(platform, store, program, customer, card, clerk)


def pay_order(factories, club: Club, *, customer=None, **overrides):
    """An order of the club's customer (€38.85 of goods + €5 shipping: 1 stamp, 76 points), moved to paid."""
    who = customer or club.customer
    return factories.order(club.store, paid=True,
                           customer={"id": who.id, "email": who.email, "name": "Anna Muller", "language": "en"},
                           **overrides)


def assert_ledger_holds(db) -> None:
    """Every card's balance equals the sum of its transactions."""
    db.commit()  # a new transaction: it sees what other sessions committed
    db.expire_all()
    assert ledger.balance_mismatches(db) == []
