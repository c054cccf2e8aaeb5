"""The counter page of Loyalty, made for a tablet at the till: scan a card's QR code with the
device's camera (or type its code), then add a stamp, add points for a purchase or hand over a
reward, each confirmed with the staff member's PIN; enrol a customer of the store; set one's
own PIN. Managers see whose PIN is set or locked, and clear it."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select

from modules.contracts.customer_directory import customer_directory
from modules.loyalty.exceptions import LoyaltyInputError, NoProgramError, field_messages
from modules.loyalty.models import LoyaltyCard, LoyaltyProgram, LoyaltyStaffPin
from modules.loyalty.routes.pages.store import base_of, counter_of, page
from modules.loyalty.services import cards, counter, pins, programs
from orion_server.database import utcnow
from orion_server.deps import SessionDep, StaffContext, StaffWith, not_found_as_404
from orion_server.flash import flash_for, with_done
from orion_server.forms import PostedForm, form_text
from orion_server.models import User
from orion_server.routing import ModuleRouter

router = ModuleRouter(dependencies=[Depends(not_found_as_404)])

FLASHES = {"stamped", "points_added", "redeemed", "enrolled", "already_member", "pin_set", "pin_cleared"}
AtCounter = StaffWith("loyalty.counter")


def _url(staff: StaffContext, code: str = "", done: str = "") -> str:
    url = f"{base_of(staff)}/counter"
    if code:
        url += f"?code={quote(code)}"
    return with_done(url, done) if done else url


def _counter_page(request: Request, db: SessionDep, staff: StaffContext, program: LoyaltyProgram, *,
                  code: str = "", status_code: int = 200, errors: dict[str, str] | None = None,
                  values: dict[str, str] | None = None) -> Response:
    language = request.state.language
    card: LoyaltyCard | None = None
    customer = None
    problems = dict(errors or {})
    if code and "code" not in problems:
        try:
            card = cards.card_by_code(db, program, code)
        except LoyaltyInputError as exc:
            problems.update(field_messages(exc, language))
    if card is not None:
        directory = customer_directory(db, platform_id=staff.store.platform_id)
        if directory is not None:
            customer = directory.describe(db, customer_ids=[card.customer_id]).get(card.customer_id)
    my_pin = pins.pin_of(db, program, staff.user.id)
    staff_pins: list[tuple[LoyaltyStaffPin, str]] = []
    if staff.can("loyalty.manage"):
        rows = db.execute(
            select(LoyaltyStaffPin, User.email).join(User, User.id == LoyaltyStaffPin.user_id)
            .where(LoyaltyStaffPin.program_id == program.id).order_by(User.email)
        ).all()
        staff_pins = [(row[0], row[1]) for row in rows]
    return page(
        request, db, staff, "counter.html", status_code=status_code, program=program, code=code, card=card,
        customer=customer, progress=cards.progress_of(program, card) if card else [],
        rewards=programs.rewards_of(program), my_pin=my_pin, now=utcnow(), staff_pins=staff_pins,
        errors=problems, values=values or {}, counter_url=_url(staff),
        flash=flash_for(request.query_params.get("done", ""), prefix="loyalty.flash.", allowed=FLASHES,
                        language=language),
    )


@router.get("/{store_code}/loyalty/counter")
def counter_page(request: Request, db: SessionDep, staff: AtCounter, code: str = "") -> Response:
    """Find a card; with ``?code=`` the card and what can be done with it. While the store runs
    no programme (none yet, or paused), the menu's link leads to the loyalty overview, which
    says so and where to set it up."""
    try:
        program = programs.active_program(db, staff.store.id)
    except NoProgramError:
        return RedirectResponse(with_done(base_of(staff), "no_program"), status_code=303)
    return _counter_page(request, db, staff, program, code=cards.normalise_code(code))


def _act(request: Request, db: SessionDep, staff: StaffContext, form: Any, done: str, action: Any) -> Response:
    program = programs.active_program(db, staff.store.id)
    code = cards.normalise_code(form_text(form, "code"))
    try:
        card = cards.card_by_code(db, program, code)
        action(program, card)
    except LoyaltyInputError as exc:
        db.rollback()
        return _counter_page(request, db, staff, program, code=code, status_code=422,
                             errors=field_messages(exc, request.state.language),
                             values={"amount": form_text(form, "amount")})
    return RedirectResponse(_url(staff, code, done), status_code=303)


@router.post("/{store_code}/loyalty/counter/stamp")
def add_stamp(request: Request, db: SessionDep, staff: AtCounter, form: PostedForm) -> Response:
    """One stamp, with the PIN."""
    return _act(request, db, staff, form, "stamped", lambda program, card: counter.add_stamp(
        db, program=program, card=card, pin=form_text(form, "pin"), counter=counter_of(request, staff)))


@router.post("/{store_code}/loyalty/counter/points")
def add_points(request: Request, db: SessionDep, staff: AtCounter, form: PostedForm) -> Response:
    """Points for the amount of a purchase at the till, with the PIN."""
    return _act(request, db, staff, form, "points_added", lambda program, card: counter.add_points(
        db, program=program, card=card, amount=form_text(form, "amount"), pin=form_text(form, "pin"),
        counter=counter_of(request, staff)))


@router.post("/{store_code}/loyalty/counter/redeem")
def redeem(request: Request, db: SessionDep, staff: AtCounter, form: PostedForm) -> Response:
    """Hand over a reward, with the PIN."""
    raw = form_text(form, "reward_id").strip()
    return _act(request, db, staff, form, "redeemed", lambda program, card: counter.redeem(
        db, program=program, card=card, reward_id=int(raw) if raw.isdigit() else 0, pin=form_text(form, "pin"),
        counter=counter_of(request, staff)))


@router.post("/{store_code}/loyalty/counter/enrol")
def enrol(request: Request, db: SessionDep, staff: AtCounter, form: PostedForm) -> Response:
    """Give a customer of the store a card (found by e-mail or customer number)."""
    program = programs.active_program(db, staff.store.id)
    try:
        card, created = cards.enrol(db, program=program, store_id=staff.store.id,
                                    platform_id=staff.store.platform_id, customer=form_text(form, "customer"),
                                    staff_user_id=staff.user.id)
    except LoyaltyInputError as exc:
        db.rollback()
        return _counter_page(request, db, staff, program, status_code=422,
                             errors=field_messages(exc, request.state.language),
                             values={"customer": form_text(form, "customer")})
    return RedirectResponse(_url(staff, card.code, "enrolled" if created else "already_member"), status_code=303)


@router.post("/{store_code}/loyalty/counter/pin")
def set_pin(request: Request, db: SessionDep, staff: AtCounter, form: PostedForm) -> Response:
    """Set (or change, with the current one) one's own counter PIN."""
    program = programs.active_program(db, staff.store.id)
    try:
        pins.set_pin(db, program=program, user_id=staff.user.id, pin=form_text(form, "new_pin"),
                     confirm=form_text(form, "new_pin_confirm"), current=form_text(form, "current_pin"))
    except LoyaltyInputError as exc:
        db.rollback()
        errors = field_messages(exc, request.state.language)
        errors = {{"pin": "new_pin", "pin_confirm": "new_pin_confirm"}.get(k, k): v for k, v in errors.items()}
        return _counter_page(request, db, staff, program, status_code=422, errors=errors)
    return RedirectResponse(_url(staff, done="pin_set"), status_code=303)
