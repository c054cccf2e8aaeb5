"""Store dashboard pages of Loyalty: the program (settings, rewards, the report of what was
issued and redeemed per day), its members with search, a member's card with its history, manual
corrections and voids (managers), and the PINs of the staff."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import quote

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse, Response

from modules.loyalty.exceptions import LoyaltyInputError, NoProgramError, field_messages
from modules.loyalty.models import LoyaltyProgram
from modules.loyalty.services import cards, ledger, pins, programs, reports
from modules.loyalty.services.ledger import Counter
from orion_server.config import LANGUAGE_NAMES, SUPPORTED_LANGUAGES
from orion_server.deps import SessionDep, StaffContext, StaffWith, not_found_as_404
from orion_server.flash import flash_for, with_done
from orion_server.forms import PostedForm, form_text
from orion_server.i18n import t
from orion_server.modules.context import get_store_context
from orion_server.rate_limits import client_address
from orion_server.routing import ModuleRouter
from orion_server.templating import render

router = ModuleRouter(dependencies=[Depends(not_found_as_404)])

FLASHES = {"saved", "reward_saved", "adjusted", "voided", "pin_cleared", "no_program"}
PER_PAGE = 25
REPORT_DAYS = 30
Viewer = StaffWith("loyalty.view")
Manager = StaffWith("loyalty.manage")


def base_of(staff: StaffContext) -> str:
    return f"/store/{staff.store.code}/loyalty"


def counter_of(request: Request, staff: StaffContext) -> Counter:
    """Who acts, in which store, from where: kept on every transaction."""
    return Counter(store_id=staff.store.id, staff_user_id=staff.user.id, client_address=client_address(request),
                   user_agent=request.headers.get("user-agent", ""))


def page(request: Request, db: SessionDep, staff: StaffContext, template: str, *, status_code: int = 200,
         **extra: Any) -> Response:
    language = request.state.language
    extra.setdefault("flash", flash_for(request.query_params.get("done", ""), prefix="loyalty.flash.",
                                        allowed=FLASHES, language=language))
    extra.setdefault("errors", {})
    context = get_store_context(
        request, db,
        page_title=t("loyalty.title", language),
        active="loyalty",
        base=base_of(staff),
        can_manage=staff.can("loyalty.manage"),
        can_counter=staff.can("loyalty.counter"),
        language_names=LANGUAGE_NAMES,
        languages=SUPPORTED_LANGUAGES,
        shown_code=cards.shown_code,
        **extra,
    )
    return render(request, f"loyalty/store/{template}", context, status_code=status_code)


def _program_values(program: LoyaltyProgram | None) -> dict[str, Any]:
    if program is None:
        return programs.new_program_values()
    values = {name: getattr(program, name) for name in ("name", "is_active", "stamps_enabled", "points_enabled",
                                                        *programs.SETTINGS)}
    for language in SUPPORTED_LANGUAGES:
        values[f"terms_{language}"] = (program.texts.get(language) or {}).get("terms", "")
    return values


def _overview(request: Request, db: SessionDep, staff: StaffContext, *, status_code: int = 200,
              values: dict[str, Any] | None = None, errors: dict[str, str] | None = None) -> Response:
    program = programs.program_for_store(db, staff.store.id)
    report: list[reports.Day] = []
    summary: dict[str, Any] = {}
    if program is not None:
        today = reports.local_today()
        report = reports.daily(db, program, first=today - timedelta(days=REPORT_DAYS - 1), last=today)
        summary = {
            "members": reports.member_count(db, program),
            "redeemed_month": reports.redeemed_since(db, program, reports.month_start()),
            **reports.totals(db, program),
        }
    return page(request, db, staff, "overview.html", status_code=status_code, program=program,
                values=values if values is not None else _program_values(program), errors=errors or {},
                report=report, summary=summary,
                rewards=programs.rewards_of(program, active_only=False) if program else [],
                shared_stores=len(programs.program_store_ids(db, program)) if program else 0)


@router.get("/{store_code}/loyalty")
def overview(request: Request, db: SessionDep, staff: Viewer) -> Response:
    """The program at a glance and its report; the settings form for managers (or, for a store
    without a program, the form that starts one)."""
    return _overview(request, db, staff)


@router.post("/{store_code}/loyalty")
def save_settings(request: Request, db: SessionDep, staff: Manager, form: PostedForm) -> Response:
    """Start or change the program."""
    values: dict[str, Any] = {key: form_text(form, key, strip=True) for key in form}
    try:
        programs.save_program(db, store_id=staff.store.id, values=values)
    except LoyaltyInputError as exc:
        db.rollback()
        shown = {**values, **{k: k in form for k in ("is_active", "stamps_enabled", "points_enabled")}}
        return _overview(request, db, staff, status_code=422, values=shown,
                         errors=field_messages(exc, request.state.language))
    return RedirectResponse(with_done(base_of(staff), "saved"), status_code=303)


def _reward_values(form: Any) -> dict[str, Any]:
    values: dict[str, Any] = {key: form_text(form, key, strip=True) for key in form}
    values["is_active"] = "is_active" in form
    return values


@router.get("/{store_code}/loyalty/rewards/new")
def new_reward(request: Request, db: SessionDep, staff: Manager) -> Response:
    programs.active_or_paused(db, staff.store.id)
    return page(request, db, staff, "reward.html", reward=None,
                values={"kind": "free_item", "currency": "stamps", "cost": "10", "value": "", "is_active": True})


@router.get("/{store_code}/loyalty/rewards/{reward_id}")
def edit_reward(request: Request, db: SessionDep, staff: Manager, reward_id: int) -> Response:
    program = programs.active_or_paused(db, staff.store.id)
    reward = programs.get_reward(db, program, reward_id)
    values = {"kind": reward.kind, "currency": reward.currency, "cost": reward.cost, "value": reward.value or "",
              "is_active": reward.is_active, **{f"name_{k}": v for k, v in reward.names.items()}}
    return page(request, db, staff, "reward.html", reward=reward, values=values)


@router.post("/{store_code}/loyalty/rewards")
def create_reward(request: Request, db: SessionDep, staff: Manager, form: PostedForm) -> Response:
    return _save_reward(request, db, staff, form, None)


@router.post("/{store_code}/loyalty/rewards/{reward_id}")
def update_reward(request: Request, db: SessionDep, staff: Manager, form: PostedForm, reward_id: int) -> Response:
    return _save_reward(request, db, staff, form, reward_id)


def _save_reward(request: Request, db: SessionDep, staff: StaffContext, form: Any, reward_id: int | None) -> Response:
    values = _reward_values(form)
    try:
        programs.save_reward(db, store_id=staff.store.id, values=values, reward_id=reward_id)
    except LoyaltyInputError as exc:
        db.rollback()
        reward = None
        if reward_id is not None:
            reward = programs.get_reward(db, programs.active_or_paused(db, staff.store.id), reward_id)
        return page(request, db, staff, "reward.html", status_code=422, reward=reward, values=values,
                    errors=field_messages(exc, request.state.language))
    return RedirectResponse(with_done(base_of(staff), "reward_saved"), status_code=303)


# -- members ------------------------------------------------------------------------------------


@router.get("/{store_code}/loyalty/members")
def member_list(request: Request, db: SessionDep, staff: Viewer, q: str = "") -> Response:
    """The program's members, newest first, searchable by name, e-mail, number or card code."""
    program = programs.active_or_paused(db, staff.store.id)
    query = q.strip()[:100]
    number = page_number(request)
    found = cards.members(db, program=program, platform_id=staff.store.platform_id, query=query, page=number,
                          per_page=PER_PAGE)
    return page(request, db, staff, "members.html", program=program, result=found, q=query,
                page_base=f"{base_of(staff)}/members?q={quote(query)}&")


def _member_page(request: Request, db: SessionDep, staff: StaffContext, card_id: int, *, status_code: int = 200,
                 **extra: Any) -> Response:
    program = programs.active_or_paused(db, staff.store.id)
    found = cards.member(db, program=program, platform_id=staff.store.platform_id, card_id=card_id)
    lines = cards.history(db, found.card, page=page_number(request))
    return page(request, db, staff, "member.html", status_code=status_code, program=program, member=found,
                progress=cards.progress_of(program, found.card), history=lines,
                voided=cards.voided_ids(db, lines.items), rewards={r.id: r for r in program.rewards},
                page_base=f"{base_of(staff)}/members/{card_id}?", **extra)


@router.get("/{store_code}/loyalty/members/{card_id}")
def member_detail(request: Request, db: SessionDep, staff: Viewer, card_id: int) -> Response:
    return _member_page(request, db, staff, card_id)


def page_number(request: Request) -> int:
    """``?page=`` as a page number (1 when it is missing or not a number)."""
    raw = request.query_params.get("page", "1")
    return max(1, min(int(raw) if raw.isdigit() else 1, 100_000))


def _whole(text: str) -> int:
    text = text.strip()
    return int(text) if text.lstrip("-").isdigit() else 0


@router.post("/{store_code}/loyalty/members/{card_id}/adjust")
def adjust(request: Request, db: SessionDep, staff: Manager, form: PostedForm, card_id: int) -> Response:
    """A manual correction with a reason."""
    program = programs.active_or_paused(db, staff.store.id)
    stamps, points = form_text(form, "stamps"), form_text(form, "points")
    problems = {}
    for name, text in (("stamps", stamps), ("points", points)):
        if text.strip() and not text.strip().lstrip("-").isdigit():
            problems[name] = t("loyalty.errors.whole_signed", request.state.language)
    if not problems:
        try:
            ledger.adjust(db, program=program, card_id=card_id, stamps=_whole(stamps), points=_whole(points),
                          reason=form_text(form, "reason"), counter=counter_of(request, staff))
        except LoyaltyInputError as exc:
            db.rollback()
            problems = field_messages(exc, request.state.language)
    if problems:
        return _member_page(request, db, staff, card_id, status_code=422, errors=problems,
                            adjust_values={"stamps": stamps, "points": points, "reason": form_text(form, "reason")})
    return RedirectResponse(with_done(f"{base_of(staff)}/members/{card_id}", "adjusted"), status_code=303)


@router.post("/{store_code}/loyalty/members/{card_id}/void/{transaction_id}")
def void(request: Request, db: SessionDep, staff: Manager, form: PostedForm, card_id: int,
         transaction_id: int) -> Response:
    """Take a transaction back, with a reason (nothing is ever edited)."""
    program = programs.active_or_paused(db, staff.store.id)
    ledger.card_of_program(db, program, card_id)
    try:
        ledger.void(db, program=program, transaction_id=transaction_id, reason=form_text(form, "reason"),
                    counter=counter_of(request, staff))
    except LoyaltyInputError as exc:
        db.rollback()
        return _member_page(request, db, staff, card_id, status_code=422,
                            errors={f"void_{transaction_id}": m for m in field_messages(exc, request.state.language).values()})
    return RedirectResponse(with_done(f"{base_of(staff)}/members/{card_id}", "voided"), status_code=303)


# -- staff PINs ---------------------------------------------------------------------------------


@router.post("/{store_code}/loyalty/pins/{user_id}/clear")
def clear_pin(request: Request, db: SessionDep, staff: Manager, user_id: int) -> Response:
    """Clear a staff member's forgotten or locked PIN: they set a new one at the counter."""
    program = programs.active_or_paused(db, staff.store.id)
    if not pins.clear_pin(db, program=program, user_id=user_id):
        raise NoProgramError(f"no PIN of user {user_id}")
    return RedirectResponse(with_done(f"{base_of(staff)}/counter", "pin_cleared"), status_code=303)


# The counter lives in its own file; mounted here, under the same module gate.
from modules.loyalty.routes.pages.store_counter import router as counter_router  # noqa: E402

router.include_router(counter_router)
