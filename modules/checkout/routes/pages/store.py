"""Store dashboard page of Checkout: ``/store/{store_code}/checkout/shipping`` (checkout.manage),
where staff choose the shipping methods and delivery prices."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from modules.checkout.exceptions import CheckoutInputError, field_messages
from modules.checkout.services import shipping_service
from orion_server.deps import SessionDep, StaffContext, StaffWith
from orion_server.flash import flash_for, with_done
from orion_server.forms import PostedForm
from orion_server.i18n import t
from orion_server.modules.context import get_store_context
from orion_server.money import (
    VAT_RATES,
    MoneyError,
    amount_text,
    parse_amount,
    percent_from_rate,
    vat_label,
)
from orion_server.routing import ModuleRouter
from orion_server.templating import render

router = ModuleRouter()

PAGE_FIELDS = {"delivery_price": "delivery_price_cents", "free_delivery_above": "free_delivery_above_cents"}


def _render(request: Request, db: SessionDep, staff: StaffContext, *, values: dict[str, Any],
            errors: dict[str, str] | None = None, done: bool = False, status_code: int = 200) -> Response:
    language = request.state.language
    context = get_store_context(
        request,
        db,
        page_title=t("checkout.settings.title", language),
        active="checkout-shipping",
        values=values,
        errors=errors or {},
        rates=[(str(percent_from_rate(rate)), vat_label(rate)) for rate in VAT_RATES],
        flash=flash_for("saved" if done else "", prefix="checkout.settings.", allowed={"saved"}, language=language),
        action=f"/store/{staff.store.code}/checkout/shipping",
    )
    return render(request, "checkout/store/settings.html", context, status_code=status_code)


@router.get("/{store_code}/checkout/shipping")
def shipping_page(request: Request, db: SessionDep, staff: StaffWith("checkout.manage"), done: str = "") -> Response:
    """The shipping settings form."""
    row = shipping_service.get(db, store_id=staff.store.id)
    language = request.state.language
    values = {
        "pickup_enabled": row.pickup_enabled,
        "delivery_enabled": row.delivery_enabled,
        "delivery_price": amount_text(row.delivery_price_cents, language=language),
        "free_delivery_above": amount_text(row.free_delivery_above_cents, language=language),
        "shipping_vat_rate": str(row.shipping_vat_rate),
    }
    return _render(request, db, staff, values=values, done=done == "saved")


@router.post("/{store_code}/checkout/shipping")
def save_shipping(
    request: Request, db: SessionDep, staff: StaffWith("checkout.manage"), form: PostedForm
) -> Response:
    """Save the settings; the form again with a message at each bad field."""
    language = request.state.language
    values = {
        "pickup_enabled": form.get("pickup_enabled") == "1",
        "delivery_enabled": form.get("delivery_enabled") == "1",
        "delivery_price": str(form.get("delivery_price") or "").strip(),
        "free_delivery_above": str(form.get("free_delivery_above") or "").strip(),
        "shipping_vat_rate": str(form.get("shipping_vat_rate") or ""),
    }
    errors: dict[str, str] = {}
    amounts: dict[str, int | None] = {}
    for name in PAGE_FIELDS:
        try:
            amounts[name] = parse_amount(values[name])
        except MoneyError:
            amounts[name] = None
            errors[name] = t("checkout.errors.amount", language)
    if amounts["delivery_price"] is None:  # a delivery price is required, a threshold is not
        errors["delivery_price"] = t("checkout.errors.amount", language)
    rate = int(values["shipping_vat_rate"]) if values["shipping_vat_rate"].isdigit() else None
    try:
        # Unreadable amounts go in as -1 so the service reports every other field too.
        shipping_service.save(
            db,
            store_id=staff.store.id,
            values={
                "pickup_enabled": values["pickup_enabled"],
                "delivery_enabled": values["delivery_enabled"],
                "delivery_price_cents": -1 if "delivery_price" in errors else amounts["delivery_price"],
                "free_delivery_above_cents": -1 if "free_delivery_above" in errors else amounts["free_delivery_above"],
                "shipping_vat_rate": rate,
            },
        )
    except CheckoutInputError as exc:
        db.rollback()
        reverse = {v: k for k, v in PAGE_FIELDS.items()}
        problems = {reverse.get(name, name): message for name, message in field_messages(exc, language).items()}
        problems.update(errors)
        return _render(request, db, staff, values=values, errors=problems, status_code=422)
    return RedirectResponse(with_done(f"/store/{staff.store.code}/checkout/shipping", "saved"), status_code=303)
