"""Admin pages of Billing, per platform (``?platform=code`` picks one of the admin's reach):
every store's subscription and what it owes, one store's subscription (extend its trial, put
it on a plan, record a payment received), and the platform's seller details. Every change is
audited."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse, Response

from modules.billing.exceptions import BillingInputError
from modules.billing.models import BillingCycle, TierCode, tier_summary
from modules.billing.services import invoicing_service, standing_service, subscription_service
from modules.billing.services.admin import billing_admin_service
from modules.billing.services.documents import invoice_pdf as invoice_document_pdf
from modules.billing.services.invoicing import PROFILE_FIELDS
from orion_server.deps import AdminReach, Reach, SessionDep, not_found_as_404
from orion_server.flash import flash_for, with_done
from orion_server.forms import PostedForm, field_messages, form_text
from orion_server.i18n import t
from orion_server.models import Platform, Store
from orion_server.modules.context import get_admin_context
from orion_server.pdf import pdf_response
from orion_server.routing import ModuleRouter
from orion_server.templating import render

router = ModuleRouter(dependencies=[Depends(not_found_as_404)])

BASE = "/admin/billing"
FLASHES = ("trial_extended", "plan_set", "paid", "saved")


def _on(platform: Platform, path: str = "/subscriptions") -> str:
    return f"{BASE}{path}?platform={quote(platform.code)}"


def _flash(done: str, language: str) -> dict[str, str] | None:
    return flash_for(done, prefix="billing.admin.flash.", allowed=FLASHES, language=language)


@router.get("/billing/subscriptions")
def subscriptions(request: Request, db: SessionDep, reach: Reach, platform: str = "", page: int = 1,
                  done: str = "") -> Response:
    """Every store of the platform with its plan, standing and open invoices."""
    chosen = reach.chosen_platform(db, request, platform)
    ui = request.state.language
    context = get_admin_context(
        request,
        db,
        page_title=t("billing.admin.subscriptions_title", ui),
        active="billing-subscriptions",
        rows=billing_admin_service.subscriptions(db, platform_id=chosen.id, page=page),
        names={code.value: tier_summary(code)["name"] for code in TierCode},
        platforms=reach.platforms(db),
        edited_platform=chosen,
        base=f"{BASE}/subscriptions",
        flash=_flash(done, ui),
    )
    return render(request, "billing/admin/subscriptions.html", context)


def _store_page(request: Request, db: SessionDep, reach: AdminReach, platform: Platform, store: Store, *,
                errors: dict[str, str] | None = None, values: dict[str, str] | None = None,
                done: str = "", status_code: int = 200) -> Response:
    ui = request.state.language
    subscription = subscription_service.get_subscription(db, store_id=store.id)
    context = get_admin_context(
        request,
        db,
        page_title=t("billing.admin.store_title", ui, store=store.name),
        active="billing-subscriptions",
        store=store,
        subscription=subscription,
        tier=tier_summary(subscription.tier) if subscription else None,
        invoices=billing_admin_service.invoices(db, store_id=store.id),
        tiers=[(code.value, tier_summary(code)["name"]) for code in TierCode],
        cycles=[(cycle.value, t(f"billing.cycle.{cycle.value}", ui)) for cycle in BillingCycle],
        errors=errors or {},
        values=values or {},
        platforms=reach.platforms(db),
        edited_platform=platform,
        action=f"{BASE}/subscriptions/{quote(store.code)}",
        query=f"?platform={quote(platform.code)}",
        back=_on(platform),
        flash=_flash(done, ui),
    )
    return render(request, "billing/admin/store.html", context, status_code=status_code)


@router.get("/billing/subscriptions/{code}")
def store_subscription(request: Request, code: str, db: SessionDep, reach: Reach, platform: str = "",
                       done: str = "") -> Response:
    """One store's subscription, its invoices, and what the admin can do about them."""
    chosen = reach.chosen_platform(db, request, platform)
    store = billing_admin_service.store_of_platform(db, platform_id=chosen.id, code=code)
    return _store_page(request, db, reach, chosen, store, done=done)


def _act(request: Request, db: SessionDep, reach: AdminReach, chosen: Platform, store: Store, done: str,
         change: Any, values: dict[str, str]) -> Response:
    try:
        change()
    except BillingInputError as exc:
        db.rollback()
        return _store_page(request, db, reach, chosen, store, errors=field_messages(exc, request.state.language),
                           values=values, status_code=exc.status)
    return RedirectResponse(with_done(f"{BASE}/subscriptions/{quote(store.code)}?platform={quote(chosen.code)}", done),
                            status_code=303)


@router.post("/billing/subscriptions/{code}/trial")
def extend_trial(request: Request, code: str, db: SessionDep, reach: Reach, form: PostedForm,
                 platform: str = "") -> Response:
    """Give the store's free trial more days."""
    chosen = reach.chosen_platform(db, request, platform)
    store = billing_admin_service.store_of_platform(db, platform_id=chosen.id, code=code)
    days = form_text(form, "days")
    return _act(request, db, reach, chosen, store, "trial_extended", lambda: billing_admin_service.extend_trial(
        db, store_id=store.id, days=days, actor=reach.user), {"days": days})


@router.post("/billing/subscriptions/{code}/plan")
def set_plan(request: Request, code: str, db: SessionDep, reach: Reach, form: PostedForm,
             platform: str = "") -> Response:
    """Put the store on a plan by hand, at once and without an invoice."""
    chosen = reach.chosen_platform(db, request, platform)
    store = billing_admin_service.store_of_platform(db, platform_id=chosen.id, code=code)
    tier, cycle = form_text(form, "tier"), form_text(form, "cycle")
    return _act(request, db, reach, chosen, store, "plan_set", lambda: billing_admin_service.set_plan(
        db, store_id=store.id, tier=tier, cycle=cycle, actor=reach.user), {"tier": tier, "cycle": cycle})


@router.get("/billing/subscriptions/{code}/invoices/{invoice_id}/pdf")
def invoice_pdf(request: Request, code: str, invoice_id: int, db: SessionDep, reach: Reach,
                platform: str = "") -> Response:
    """One of the store's invoices as a PDF file."""
    chosen = reach.chosen_platform(db, request, platform)
    store = billing_admin_service.store_of_platform(db, platform_id=chosen.id, code=code)
    invoice = invoicing_service.invoice_of_store_by_id(db, store_id=store.id, invoice_id=invoice_id)
    document = invoice_document_pdf(invoice, request.state.language)
    return pdf_response(document.content, filename=document.filename)


@router.post("/billing/subscriptions/{code}/invoices/{invoice_id}/paid")
def record_payment(request: Request, code: str, invoice_id: int, db: SessionDep, reach: Reach,
                   form: PostedForm, platform: str = "") -> Response:
    """Record a bank transfer received for one of the store's open invoices."""
    chosen = reach.chosen_platform(db, request, platform)
    store = billing_admin_service.store_of_platform(db, platform_id=chosen.id, code=code)
    note = form_text(form, "note")
    return _act(request, db, reach, chosen, store, "paid", lambda: standing_service.record_payment(
        db, platform_id=chosen.id, invoice_id=invoice_id, note=note, actor=reach.user), {"note": note})


def _profile_values(profile: Any) -> dict[str, str]:
    return {name: ("on" if value is True else "" if value is False else str(value))
            for name, value in ((n, getattr(profile, n)) for n in PROFILE_FIELDS)}


def _profile_page(request: Request, db: SessionDep, reach: AdminReach, platform: Platform, *,
                  values: dict[str, str] | None = None, errors: dict[str, str] | None = None,
                  done: str = "", status_code: int = 200) -> Response:
    ui = request.state.language
    context = get_admin_context(
        request,
        db,
        page_title=t("billing.admin.profile_title", ui),
        active="billing-profile",
        values=values,
        errors=errors or {},
        platforms=reach.platforms(db),
        edited_platform=platform,
        base=f"{BASE}/profile",
        action=_on(platform, "/profile"),
        flash=_flash(done, ui),
    )
    return render(request, "billing/admin/profile.html", context, status_code=status_code)


@router.get("/billing/profile")
def profile(request: Request, db: SessionDep, reach: Reach, platform: str = "", done: str = "") -> Response:
    """The platform's seller details and terms, as its invoices print them."""
    chosen = reach.chosen_platform(db, request, platform)
    values = _profile_values(invoicing_service.profile_or_defaults(db, platform_id=chosen.id))
    return _profile_page(request, db, reach, chosen, values=values, done=done)


@router.post("/billing/profile")
def save_profile(request: Request, db: SessionDep, reach: Reach, form: PostedForm, platform: str = "") -> Response:
    """Check and save the seller details and terms."""
    chosen = reach.chosen_platform(db, request, platform)
    values = {name: form_text(form, name) for name in PROFILE_FIELDS}
    try:
        invoicing_service.save_profile(db, platform_id=chosen.id, values=values, actor=reach.user)
    except BillingInputError as exc:
        db.rollback()
        return _profile_page(request, db, reach, chosen, values=values,
                             errors=field_messages(exc, request.state.language), status_code=exc.status)
    return RedirectResponse(with_done(_on(chosen, "/profile"), "saved"), status_code=303)
