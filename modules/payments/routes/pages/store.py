"""Store dashboard pages of Payments: the store's payments, and its gateway settings.

| path | permission |
|---|---|
| ``/store/{store_code}/payments`` | payments.view |
| ``/store/{store_code}/payments/{id}/mark-paid`` (POST) | payments.manage |
| ``/store/{store_code}/payments/{id}/refund`` (POST) | payments.refund |
| ``/store/{store_code}/payments/settings`` | payments.manage |
| ``/store/{store_code}/payments/settings/{gateway}`` (POST) | payments.manage |

Secrets are never written into a page: a secret field is always empty, with "•••• set" beside
it when the store has one; submitting it empty keeps the stored secret.
"""

from __future__ import annotations

from typing import Any

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse, Response

from modules.payments.exceptions import SettingsInputError
from modules.payments.gateways import GATEWAYS
from modules.payments.models import PAYMENT_STATUSES
from modules.payments.services import payment_service, settings_service
from orion_server.deps import (
    SessionDep,
    StaffContext,
    StaffWith,
    not_found_as_404,
)
from orion_server.errors import OrionError
from orion_server.forms import PostedForm, form_text
from orion_server.i18n import t
from orion_server.modules.context import get_store_context
from orion_server.routing import ModuleRouter
from orion_server.templating import render

router = ModuleRouter(dependencies=[Depends(not_found_as_404)])

FLASHES = {"saved", "marked_paid", "refunded"}
ERRORS = {"mark_paid_failed", "refund_failed"}
TRUE_VALUES = {"1", "on", "true", "yes"}


def _base(staff: StaffContext) -> str:
    return f"/store/{staff.store.code}/payments"


def _flash(done: str, error: str, language: str) -> dict[str, str] | None:
    if error in ERRORS:
        return {"kind": "error", "message": t(f"payments.flash.{error}", language)}
    if done in FLASHES:
        return {"kind": "ok", "message": t(f"payments.flash.{done}", language)}
    return None


@router.get("/{store_code}/payments")
def payments_list(
    request: Request,
    db: SessionDep,
    staff: StaffWith("payments.view"),
    page: int = 1,
    status: str = "",
    done: str = "",
    error: str = "",
) -> Response:
    """The store's payments, newest first, with what staff can do about each."""
    language = request.state.language
    status = status if status in PAYMENT_STATUSES else ""
    result = payment_service.list_payments(
        db, store_id=staff.store.id, page=max(1, page), status=status or None
    )
    context = get_store_context(
        request,
        db,
        page_title=t("payments.list.title", language),
        active="payments-list",
        result=result,
        status=status,
        statuses=PAYMENT_STATUSES,
        gateways=GATEWAYS,
        base=_base(staff),
        can_manage=staff.can("payments.manage"),
        can_refund=staff.can("payments.refund"),
        has_gateway=bool(settings_service.enabled_gateways(db, store_id=staff.store.id)),
        flash=_flash(done, error, language),
        instructions=lambda p: payment_service.instructions_text(p.next_step, language),
    )
    return render(request, "payments/store/list.html", context)


@router.post("/{store_code}/payments/{payment_id}/mark-paid")
def mark_paid(payment_id: int, db: SessionDep, staff: StaffWith("payments.manage")) -> Response:
    """Confirm an offline payment arrived."""
    try:
        payment_service.mark_paid(
            db, payment_id=payment_id, store_id=staff.store.id, actor=staff.user
        )
    except OrionError as exc:
        if exc.status == 404:
            raise
        db.rollback()
        return RedirectResponse(f"{_base(staff)}?error=mark_paid_failed", status_code=303)
    return RedirectResponse(f"{_base(staff)}?done=marked_paid", status_code=303)


@router.post("/{store_code}/payments/{payment_id}/refund")
def refund(payment_id: int, db: SessionDep, staff: StaffWith("payments.refund")) -> Response:
    """Refund what is still refundable of a succeeded payment."""
    try:
        payment_service.refund(
            db, payment_id=payment_id, store_id=staff.store.id, actor=staff.user
        )
    except OrionError as exc:
        if exc.status == 404:
            raise
        db.rollback()
        return RedirectResponse(f"{_base(staff)}?error=refund_failed", status_code=303)
    return RedirectResponse(f"{_base(staff)}?done=refunded", status_code=303)


def _render_settings(
    request: Request,
    db: SessionDep,
    staff: StaffContext,
    *,
    errors: dict[str, dict[str, str]] | None = None,
    typed: dict[str, dict[str, Any]] | None = None,
    done: str = "",
    status_code: int = 200,
) -> Response:
    language = request.state.language
    views = settings_service.views(db, store_id=staff.store.id)
    context = get_store_context(
        request,
        db,
        page_title=t("payments.settings.title", language),
        active="payments-settings",
        views=views,
        errors=errors or {},
        typed=typed or {},
        base=_base(staff),
        can_set_secrets=staff.is_owner,
        webhook_root=f"/platforms/{request.state.platform.code}/storefront/{staff.store.code}/api/v1/payments/webhooks/",
        flash=_flash(done, "", language),
    )
    return render(request, "payments/store/settings.html", context, status_code=status_code)


@router.get("/{store_code}/payments/settings")
def settings_page(request: Request, db: SessionDep, staff: StaffWith("payments.manage"), done: str = "") -> Response:
    """Every gateway: on or off, and its keys (secrets only as "set")."""
    return _render_settings(request, db, staff, done=done)


@router.post("/{store_code}/payments/settings/{gateway}")
def save_settings(
    request: Request, gateway: str, db: SessionDep, staff: StaffWith("payments.manage"), form: PostedForm
) -> Response:
    """Save one gateway; the page comes back with messages when something is wrong."""
    cls = settings_service.gateway_class(gateway)
    enabled = form_text(form, "enabled").lower() in TRUE_VALUES
    values = {f.name: form_text(form, f.name) for f in cls.FIELDS}
    try:
        settings_service.save(
            db, store_id=staff.store.id, gateway=gateway, enabled=enabled, values=values,
            may_set_secrets=staff.is_owner,  # a provider's keys move money: owners only
        )
    except SettingsInputError as exc:
        db.rollback()
        typed = {f.name: values[f.name] for f in cls.FIELDS if not f.secret}
        return _render_settings(
            request,
            db,
            staff,
            errors={gateway: exc.field_messages(request.state.language)},
            typed={gateway: {**typed, "enabled": enabled}},
            status_code=422,
        )
    return RedirectResponse(f"{_base(staff)}/settings?done=saved#gw-{gateway}", status_code=303)
