"""Earning, the counter's rules and the ledger, on the service level with a controlled clock:
a paid order earns once however often its event arrives and is taken back when cancelled; the
PIN locks after 5 wrong tries for 30 minutes; stamps keep the cooldown and the daily cap, also
when 20 tills stamp one card at once; balances always equal the sum of their transactions."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from modules.contracts.events import OrderPaid
from modules.loyalty import listeners
from modules.loyalty.exceptions import LoyaltyInputError
from modules.loyalty.models import LoyaltyCard, LoyaltyTransaction
from modules.loyalty.services import cards, counter, ledger, pins, programs
from modules.loyalty.services.ledger import Counter
from modules.orders.services import order_service
from orion_server.database import db as database
from tests.modules.loyalty.conftest import PIN, PROGRAM, assert_ledger_holds, pay_order

pytestmark = pytest.mark.usefixtures("clean_db")
NOON = datetime(2026, 6, 10, 10, 0, tzinfo=UTC)  # noon in Luxembourg


def till(club) -> Counter:
    return Counter(store_id=club.store.id, staff_user_id=club.clerk.id, client_address="192.0.2.7",
                   user_agent="Tablet/1.0")


def fresh(db, card) -> LoyaltyCard:
    db.commit()  # a new transaction: it sees what other sessions committed
    db.expire_all()
    return db.get(LoyaltyCard, card.id)


def problem(exc: LoyaltyInputError) -> str:
    return exc.problems[0].key.removeprefix("loyalty.errors.")


def test_a_paid_order_earns_once_and_a_cancelled_one_gives_it_back(club, factories, db_session):
    order = pay_order(factories, club)
    card = fresh(db_session, club.card)
    assert (card.stamps_balance, card.points_balance) == (1, 76)  # €38.85 of goods at 2 points a euro

    event = OrderPaid(platform_id=club.platform.id, store_id=club.store.id, order_id=order.id, number=order.number,
                      customer_id=club.customer.id, total_cents=order.total_cents,
                      shipping_cents=order.shipping_cents)
    listeners.on_order_paid(db_session, event)  # delivered again
    db_session.commit()
    card = fresh(db_session, club.card)
    assert (card.stamps_balance, card.points_balance) == (1, 76)

    order_service.change_status(db_session, order_id=order.id, store_id=club.store.id, to="refunded")
    card = fresh(db_session, club.card)
    assert (card.stamps_balance, card.points_balance) == (0, 0)
    kinds = [t.kind for t in db_session.query(LoyaltyTransaction).order_by(LoyaltyTransaction.id)]
    assert kinds == ["order", "order_reversal"]
    assert_ledger_holds(db_session)


def test_orders_of_guests_and_of_customers_without_a_card_earn_nothing(club, factories, db_session):
    other = factories.customer(club.store, "ben@example.com")
    pay_order(factories, club, customer=other)
    factories.order(club.store, paid=True)  # a guest
    assert db_session.query(LoyaltyTransaction).count() == 0


def test_the_pin_locks_after_five_wrong_tries_for_thirty_minutes(club, db_session):
    program = club.program
    for attempt in range(4):
        with pytest.raises(LoyaltyInputError) as wrong:
            counter.add_stamp(db_session, program=program, card=club.card, pin="0000", counter=till(club),
                              at=NOON + timedelta(seconds=attempt))
        assert problem(wrong.value) == "pin_wrong"
        assert wrong.value.problems[0].params["count"] == 4 - attempt
    with pytest.raises(LoyaltyInputError) as locked:
        counter.add_stamp(db_session, program=program, card=club.card, pin="0000", counter=till(club), at=NOON)
    assert problem(locked.value) == "pin_locked"
    # the right PIN is refused while locked, up to the last minute
    with pytest.raises(LoyaltyInputError) as still:
        counter.add_stamp(db_session, program=program, card=club.card, pin=PIN, counter=till(club),
                          at=NOON + timedelta(minutes=29, seconds=59))
    assert problem(still.value) == "pin_locked"
    assert fresh(db_session, club.card).stamps_balance == 0
    # thirty minutes on, it works again
    counter.add_stamp(db_session, program=program, card=club.card, pin=PIN, counter=till(club),
                      at=NOON + timedelta(minutes=30))
    assert fresh(db_session, club.card).stamps_balance == 1
    record = pins.pin_of(db_session, program, club.clerk.id)
    assert record.failures == 0 and record.locked_until is None
    assert record.pin_hash != PIN and PIN not in record.pin_hash


def test_a_manager_clears_a_locked_pin_and_the_clerk_sets_a_new_one(club, db_session):
    for _ in range(5):
        with pytest.raises(LoyaltyInputError):
            pins.check_pin(db_session, program=club.program, user_id=club.clerk.id, pin="9999", at=NOON)
    assert pins.clear_pin(db_session, program=club.program, user_id=club.clerk.id)
    pins.set_pin(db_session, program=club.program, user_id=club.clerk.id, pin="135790", confirm="135790")
    pins.check_pin(db_session, program=club.program, user_id=club.clerk.id, pin="135790", at=NOON)


@pytest.mark.parametrize("pin", ["123", "1234567", "12a4", "", "١٢٣٤"])
def test_a_pin_is_four_to_six_digits(club, db_session, pin):
    with pytest.raises(LoyaltyInputError) as bad:
        pins.set_pin(db_session, program=club.program, user_id=club.clerk.id, pin=pin, confirm=pin, current=PIN)
    assert problem(bad.value) == "pin_format"


def test_stamps_keep_the_cooldown_and_the_daily_cap(club, db_session):
    stamp = lambda at: counter.add_stamp(db_session, program=club.program, card=club.card, pin=PIN,  # noqa: E731
                                         counter=till(club), at=at)
    stamp(NOON)
    with pytest.raises(LoyaltyInputError) as cooling:
        stamp(NOON + timedelta(minutes=14, seconds=59))
    assert problem(cooling.value) == "cooldown" and cooling.value.problems[0].params["count"] == 1
    for n in range(1, 5):
        stamp(NOON + timedelta(minutes=15 * n))
    with pytest.raises(LoyaltyInputError) as capped:
        stamp(NOON + timedelta(hours=3))
    assert problem(capped.value) == "daily_cap"
    assert fresh(db_session, club.card).stamps_balance == 5
    # the next day in Luxembourg (22:00 UTC in June) opens a new day
    stamp(datetime(2026, 6, 10, 22, 0, tzinfo=UTC))
    assert fresh(db_session, club.card).stamps_balance == 6
    entry = db_session.query(LoyaltyTransaction).order_by(LoyaltyTransaction.id.desc()).first()
    assert (entry.staff_user_id, entry.store_id, entry.client_address, entry.user_agent) == (
        club.clerk.id, club.store.id, "192.0.2.7", "Tablet/1.0")
    assert_ledger_holds(db_session)


def test_twenty_tills_stamping_one_card_at_once_get_exactly_the_cap(club, db_session):
    """No cooldown, a cap of 5: twenty simultaneous stamps leave exactly five on the card."""
    programs.save_program(db_session, store_id=club.store.id, values={**PROGRAM, "cooldown_minutes": 0})
    db_session.commit()
    start = threading.Barrier(20)
    outcomes: list[str] = []
    lock = threading.Lock()

    program = programs.program_for_store(db_session, club.store.id)
    card = db_session.get(LoyaltyCard, club.card.id)
    db_session.expunge_all()  # read once: the tills hold no connection while they line up

    def attempt():
        start.wait(30)
        session = database.session()
        try:
            try:
                counter.add_stamp(session, program=program, card=card, pin=PIN, counter=till(club), at=NOON)
                result = "ok"
            except LoyaltyInputError as exc:
                session.rollback()
                result = problem(exc)
            with lock:
                outcomes.append(result)
        finally:
            session.close()

    threads = [threading.Thread(target=attempt) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(outcomes) == 20
    assert outcomes.count("ok") == 5
    assert set(outcomes) == {"ok", "daily_cap"}
    assert fresh(db_session, club.card).stamps_balance == 5
    assert_ledger_holds(db_session)


def test_points_at_the_till_rewards_voids_and_corrections_keep_the_ledger(club, db_session):
    manager = Counter(store_id=club.store.id, staff_user_id=club.clerk.id)
    counter.add_points(db_session, program=club.program, card=club.card, amount="61,90", pin=PIN, counter=till(club))
    assert fresh(db_session, club.card).points_balance == 122
    with pytest.raises(LoyaltyInputError) as bad:
        counter.add_points(db_session, program=club.program, card=club.card, amount="12.345", pin=PIN,
                           counter=till(club))
    assert problem(bad.value) == "amount_invalid"
    reward = programs.save_reward(db_session, store_id=club.store.id, values={
        "kind": "amount_off", "currency": "points", "cost": "100", "value": "500", "name_en": "€5 off"})
    entry, _ = counter.redeem(db_session, program=club.program, card=club.card, reward_id=reward.id, pin=PIN,
                              counter=till(club))
    assert fresh(db_session, club.card).points_balance == 22
    with pytest.raises(LoyaltyInputError) as poor:
        counter.redeem(db_session, program=club.program, card=club.card, reward_id=reward.id, pin=PIN,
                       counter=till(club))
    assert problem(poor.value) == "not_enough_points"
    ledger.void(db_session, program=club.program, transaction_id=entry.id, reason="Wrong customer", counter=manager)
    assert fresh(db_session, club.card).points_balance == 122
    with pytest.raises(LoyaltyInputError) as twice:
        ledger.void(db_session, program=club.program, transaction_id=entry.id, reason="Again", counter=manager)
    assert problem(twice.value) == "already_voided"
    ledger.adjust(db_session, program=club.program, card_id=club.card.id, stamps=2, points=-22,
                  reason="Paper card moved over", counter=manager)
    card = fresh(db_session, club.card)
    assert (card.stamps_balance, card.points_balance) == (2, 100)
    with pytest.raises(LoyaltyInputError) as unexplained:
        ledger.adjust(db_session, program=club.program, card_id=club.card.id, stamps=1, points=0, reason=" ",
                      counter=manager)
    assert problem(unexplained.value) == "reason_required"
    assert_ledger_holds(db_session)


def test_one_program_serves_every_store_of_a_merchant(factories, db_session):
    from orion_server.models import Merchant
    from tests.modules.loyalty.conftest import enable

    platform = factories.platform(code="lux2")
    enable(db_session, platform)
    merchant = Merchant(platform_id=platform.id, name="Dupont")
    db_session.add(merchant)
    db_session.flush()
    first = factories.store(platform, code="dupont-ville", merchant_id=merchant.id)
    second = factories.store(platform, code="dupont-gare", merchant_id=merchant.id)
    program = programs.save_program(db_session, store_id=first.id, values=PROGRAM)
    assert programs.program_for_store(db_session, second.id).id == program.id
    assert programs.program_store_ids(db_session, program) == sorted([first.id, second.id])
    customer = factories.customer(second, "carl@example.com")
    card, created = cards.join(db_session, program=program, store_id=second.id, customer_id=customer.id)
    again, created_again = cards.join(db_session, program=program, store_id=second.id, customer_id=customer.id)
    assert created and not created_again and again.id == card.id
    assert len(card.code) == 12 and set(card.code) <= set(cards.CODE_ALPHABET)
    assert cards.card_by_code(db_session, program, cards.shown_code(card.code).lower()).id == card.id
