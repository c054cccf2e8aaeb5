"""Store dashboard pages of the Billing module: the store's plan, its usage, choosing another
plan (a quote first, then the change) and the platform's invoices to the store."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from modules.billing.config import config
from modules.billing.exceptions import BillingInputError
from modules.billing.models import (
    ADD_ONS,
    TIER_LIMITS,
    BillingCycle,
    TierCode,
    tier_rank,
    tier_summary,
)
from modules.billing.routes.pages.store_add_ons import add_ons_router
from modules.billing.services import (
    invoicing_service,
    plan_service,
    plan_usage,
    subscription_service,
)
from modules.billing.services.add_ons import add_on_service
from modules.billing.services.documents import invoice_pdf as invoice_document_pdf
from modules.billing.services.plans import ChangeKind, price_of
from modules.contracts.subscription_payments import PaymentStartFailed, platform_payments
from modules.contracts.tier_limits import usage_of
from orion_server.database import utcnow
from orion_server.deps import SessionDep, StaffWith
from orion_server.flash import flash_for, with_done
from orion_server.forms import PostedForm, field_messages, form_text
from orion_server.i18n import t
from orion_server.middleware.security_headers import content_security_policy
from orion_server.modules.context import get_store_context
from orion_server.pdf import pdf_response
from orion_server.routing import ModuleRouter
from orion_server.templating import render

router = ModuleRouter()

FLASHES = ("started", "upgraded", "scheduled", "kept", "add_on_bought", "add_on_given_up")
PAY_ERRORS = ("pay_failed",)
STRIPE_CSP = content_security_policy(add={
    "script-src": "https://js.stripe.com",
    "frame-src": "https://js.stripe.com https://hooks.stripe.com",
    "connect-src": "https://api.stripe.com",
})
"""The card page loads Stripe.js (the card fields live in Stripe's frames); nothing else."""


def _base(staff: StaffWith) -> str:
    return f"/store/{staff.store.code}/billing"


def _choices() -> list[dict]:
    """Every tier a store can choose on its own, with both prices."""
    return [
        {**tier_summary(code), "prices": {cycle.value: price_of(code, cycle) for cycle in BillingCycle}}
        for code in TierCode
    ]


def _add_ons(db: SessionDep, staff: StaffWith) -> list[dict]:
    """Every add-on with its monthly price and what the store has of it."""
    owned = {row.code: row for row in add_on_service.of_store(db, store_id=staff.store.id)}
    return [
        {"code": code, "price_monthly_cents": spec["price_monthly_cents"], "max": spec["max_quantity"],
         "owned": owned.get(code)}
        for code, spec in ADD_ONS.items()
    ]


@router.get("/{store_code}/billing")
def billing_overview(
    request: Request, db: SessionDep, staff: StaffWith("billing.view"), done: str = ""
) -> Response:
    """The store's plan, trial, period and usage, the plans it can move to, and its latest
    invoices; the first visit starts the free trial."""
    now = utcnow()
    language = request.state.language
    subscription = subscription_service.get_or_start_trial(db, store_id=staff.store.id, now=now)
    tier = tier_summary(subscription.tier)
    usage = None
    if staff.can("billing.usage.view"):
        usage = plan_usage(usage_of(db, store_id=staff.store.id), subscription.tier)
    higher = [
        TIER_LIMITS[code]["name"]
        for code in TierCode
        if tier_rank(code) > tier_rank(subscription.tier)
    ]
    context = get_store_context(
        request,
        db,
        page_title=t("billing.store.title", language),
        active="billing",
        subscription=subscription,
        tier=tier,
        usage=usage,
        higher_tiers=higher,
        trial_days_left=subscription.trial_days_left(now),
        trial_expired=subscription.trial_expired(now),
        scheduled=tier_summary(subscription.scheduled_tier) if subscription.scheduled_tier else None,
        choices=_choices(),
        add_ons=_add_ons(db, staff),
        paid_plan=subscription.paid_period_running(now),
        can_manage=staff.can("billing.manage"),
        invoices=invoicing_service.invoices_of_store(db, store_id=staff.store.id).items[:5],
        currency=config.currency,
        base=_base(staff),
        flash=flash_for(done, prefix="billing.flash.", allowed=FLASHES, language=language),
    )
    return render(request, "billing/store/overview.html", context)


def _quote_page(
    request: Request, db: SessionDep, staff: StaffWith, tier: str, cycle: str,
    errors: dict[str, str] | None = None, status_code: int = 200,
) -> Response:
    language = request.state.language
    quote = None
    try:
        quote = plan_service.quote(db, store_id=staff.store.id, tier=tier, cycle=cycle, language=language)
    except BillingInputError as exc:
        errors = {**field_messages(exc, language), **(errors or {})}
        status_code = max(status_code, exc.status)
    context = get_store_context(
        request,
        db,
        page_title=t("billing.change.title", language),
        active="billing",
        quote=quote,
        chosen=tier_summary(quote.tier) if quote else None,
        current=tier_summary(quote.current_tier) if quote else None,
        errors=errors or {},
        currency=config.currency,
        base=_base(staff),
        kinds=ChangeKind,
    )
    return render(request, "billing/store/change.html", context, status_code=status_code)


@router.get("/{store_code}/billing/plan")
def plan_quote(
    request: Request, db: SessionDep, staff: StaffWith("billing.manage"), tier: str = "", cycle: str = "monthly"
) -> Response:
    """What choosing a plan would cost and when it applies, before confirming; or why the
    store cannot move to it (each limit it is over)."""
    return _quote_page(request, db, staff, tier, cycle)


def _card_methods(db: SessionDep, staff: StaffWith, language: str) -> list:
    """The card methods the platform's own account offers for paying invoices ([] if none)."""
    payments = platform_payments(db, platform_id=staff.store.platform_id)
    return payments.methods(db, platform_id=staff.store.platform_id, language=language) if payments else []


def _start_card_payment(request: Request, db: SessionDep, staff: StaffWith, invoice) -> bool:
    """Start paying an open invoice by card through the platform's account (the same invoice
    always the same payment); False when the platform takes no cards or the start failed."""
    language = request.state.language
    methods = _card_methods(db, staff, language)
    payments = platform_payments(db, platform_id=staff.store.platform_id)
    if not methods or payments is None:
        return False
    # one payment per attempt: a click while one is pending is the same payment, and after a
    # failed or cancelled one the next click starts a new one (a failed start keeps its key)
    ended = sum(p.status in ("failed", "cancelled") for p in payments.payments_for(
        db, platform_id=staff.store.platform_id, store_id=staff.store.id, reference=invoice.number))
    try:
        payments.start(
            db, platform_id=staff.store.platform_id, store_id=staff.store.id, method=methods[0].code,
            amount_cents=invoice.total_cents, currency=invoice.currency, reference=invoice.number,
            idempotency_key=f"invoice-{invoice.id}-{ended}", language=language,
            description=t("billing.pay.description", language, number=invoice.number, store=staff.store.name),
            customer_email=staff.user.email,
        )
    except PaymentStartFailed:
        return False
    return True


@router.post("/{store_code}/billing/plan")
def change_plan(request: Request, db: SessionDep, staff: StaffWith("billing.manage"), form: PostedForm) -> Response:
    """Confirm the plan: a start or an upgrade applies now with its invoice, a downgrade at
    the end of the period."""
    tier, cycle = form_text(form, "tier"), form_text(form, "cycle")
    try:
        change = plan_service.change(
            db, store_id=staff.store.id, tier=tier, cycle=cycle, language=request.state.language, actor=staff.user,
        )
    except BillingInputError as exc:
        db.rollback()
        return _quote_page(request, db, staff, tier, cycle, errors=field_messages(exc, request.state.language),
                           status_code=exc.status)
    done = {ChangeKind.START: "started", ChangeKind.UPGRADE: "upgraded"}.get(change.kind, "scheduled")
    invoice = change.invoice
    if invoice is not None and invoice.total_cents > 0 and _start_card_payment(request, db, staff, invoice):
        # the platform takes cards: the owner pays the new invoice now
        return RedirectResponse(f"{_base(staff)}/invoices/{invoice.number}/pay", status_code=303)
    return RedirectResponse(with_done(_base(staff), done), status_code=303)


@router.post("/{store_code}/billing/plan/keep")
def keep_plan(request: Request, db: SessionDep, staff: StaffWith("billing.manage"), form: PostedForm) -> Response:
    """Forget the downgrade scheduled for the end of the period."""
    plan_service.cancel_scheduled(db, store_id=staff.store.id, actor=staff.user)
    return RedirectResponse(with_done(_base(staff), "kept"), status_code=303)


@router.get("/{store_code}/billing/invoices")
def invoice_list(request: Request, db: SessionDep, staff: StaffWith("billing.view"), page: int = 1) -> Response:
    """Every invoice the platform issued to the store, newest first."""
    found = invoicing_service.invoices_of_store(db, store_id=staff.store.id, page=page)
    context = get_store_context(
        request,
        db,
        page_title=t("billing.invoices.title", request.state.language),
        active="billing",
        invoices=found,
        base=_base(staff),
    )
    return render(request, "billing/store/invoices.html", context)


@router.get("/{store_code}/billing/invoices/{number}.pdf")
def invoice_pdf(request: Request, number: str, db: SessionDep, staff: StaffWith("billing.view")) -> Response:
    """One invoice as a PDF file, in the reader's language."""
    invoice = invoicing_service.invoice_of_store(db, store_id=staff.store.id, number=number)
    document = invoice_document_pdf(invoice, request.state.language)
    return pdf_response(document.content, filename=document.filename)


@router.post("/{store_code}/billing/invoices/{number}/pay")
def pay_invoice(request: Request, number: str, db: SessionDep, staff: StaffWith("billing.manage"),
                form: PostedForm) -> Response:
    """Start paying an open invoice by card through the platform's account, then the card page."""
    invoice = invoicing_service.invoice_of_store(db, store_id=staff.store.id, number=number)
    page = f"{_base(staff)}/invoices/{invoice.number}"
    if invoice.status != "open":
        return RedirectResponse(page, status_code=303)
    if not _start_card_payment(request, db, staff, invoice):
        return RedirectResponse(f"{page}?error=pay_failed", status_code=303)
    return RedirectResponse(f"{page}/pay", status_code=303)


@router.get("/{store_code}/billing/invoices/{number}/pay")
def card_page(request: Request, number: str, db: SessionDep, staff: StaffWith("billing.manage")) -> Response:
    """The card fields (Stripe's, in its frames) for the invoice's started payment; back to the
    invoice when it is paid or no card payment is waiting."""
    invoice = invoicing_service.invoice_of_store(db, store_id=staff.store.id, number=number)
    page = f"{_base(staff)}/invoices/{invoice.number}"
    payments = platform_payments(db, platform_id=staff.store.platform_id)
    waiting = [p for p in (payments.payments_for(db, platform_id=staff.store.platform_id, store_id=staff.store.id,
                                                 reference=invoice.number) if payments else [])
               if p.status == "pending" and p.kind == "client_secret" and p.client_secret]
    if invoice.status != "open" or not waiting:
        return RedirectResponse(page, status_code=303)
    context = get_store_context(
        request,
        db,
        page_title=t("billing.pay.title", request.state.language, number=invoice.number),
        active="billing",
        invoice=invoice,
        payment=waiting[-1],
        return_url=str(request.base_url).rstrip("/") + page + "?paid=1",
        base=_base(staff),
    )
    response = render(request, "billing/store/pay.html", context)
    response.headers["Content-Security-Policy"] = STRIPE_CSP
    return response


@router.get("/{store_code}/billing/invoices/{number}")
def invoice_detail(request: Request, number: str, db: SessionDep, staff: StaffWith("billing.view"),
                   error: str = "", paid: str = "") -> Response:
    """One invoice as the platform issued it, designed for printing; on an open one, a button
    to pay it by card where the platform takes cards."""
    language = request.state.language
    invoice = invoicing_service.invoice_of_store(db, store_id=staff.store.id, number=number)
    can_pay = invoice.status == "open" and staff.can("billing.manage") and bool(_card_methods(db, staff, language))
    context = get_store_context(
        request,
        db,
        page_title=t("billing.invoice.title", language, number=invoice.number),
        active="billing",
        invoice=invoice,
        can_pay_by_card=can_pay,
        pay_error=t("billing.pay.failed", language) if error in PAY_ERRORS else "",
        processing=bool(paid) and invoice.status == "open",
        base=_base(staff),
    )
    return render(request, "billing/store/invoice.html", context)


router.include_router(add_ons_router)
