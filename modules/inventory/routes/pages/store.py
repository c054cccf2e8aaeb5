"""Store dashboard pages of the inventory module: the stock list, an item's ledger, adjusting."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Query, Request
from fastapi.responses import RedirectResponse, Response

from modules.inventory.exceptions import StockInputError
from modules.inventory.models import StockItem
from modules.inventory.services import MANUAL_REASONS, inventory_service
from orion_server.deps import SessionDep, StaffContext, StaffWith
from orion_server.forms import PostedForm, form_text
from orion_server.i18n import t
from orion_server.modules.context import get_store_context
from orion_server.routing import ModuleRouter
from orion_server.templating import render

router = ModuleRouter()

PageNumber = Annotated[int, Query(ge=1, le=100_000)]
ACTIVE = "inventory"
PER_PAGE = 25
FLASHES = {"adjusted", "received", "threshold"}




def _base(staff: StaffContext) -> str:
    return f"/store/{staff.store.code}/inventory"


def _reasons(language: str) -> list[tuple[str, str]]:
    return [(reason.value, t(f"inventory.reason.{reason.value}", language)) for reason in MANUAL_REASONS]


def _flash(done: str, language: str) -> dict[str, str] | None:
    if done in FLASHES:
        return {"kind": "ok", "message": t(f"inventory.flash.{done}", language)}
    return None


def _render_list(
    request: Request,
    db: SessionDep,
    staff: StaffContext,
    *,
    q: str = "",
    low: bool = False,
    page: int = 1,
    done: str = "",
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    language = request.state.language
    result = inventory_service.list_items(
        db, store_id=staff.store.id, search=q[:100], low_only=low, page=page, per_page=PER_PAGE
    )
    query = urlencode({k: v for k, v in (("q", q), ("low", "1" if low else "")) if v})
    context = get_store_context(
        request,
        db,
        page_title=t("inventory.list.title", language),
        active=ACTIVE,
        result=result,
        q=q,
        low=low,
        base=_base(staff),
        page_base=f"{_base(staff)}?{query}{'&' if query else ''}",
        can_adjust=staff.can("inventory.adjust"),
        values=values or {"sku": "", "quantity": "", "threshold": ""},
        errors=errors or {},
        flash=_flash(done, language),
    )
    return render(request, "inventory/store/list.html", context, status_code=status_code)


@router.get("/{store_code}/inventory")
def stock_list(
    request: Request,
    db: SessionDep,
    staff: StaffWith("inventory.view"),
    q: Annotated[str, Query(max_length=100)] = "",
    low: str = "",
    page: PageNumber = 1,
    done: str = "",
) -> Response:
    """The store's stock by SKU, searchable, with a "low stock only" filter."""
    return _render_list(
        request, db, staff, q=q.strip(), low=low in ("1", "on", "true"), page=page, done=done
    )


@router.post("/{store_code}/inventory/receive")
def receive_stock(request: Request, db: SessionDep, staff: StaffWith("inventory.adjust"), form: PostedForm) -> Response:
    """Record a delivery of a SKU (the item is made when the store has none yet)."""
    values = {key: form_text(form, key, strip=True) for key in ("sku", "quantity", "threshold")}
    try:
        item = inventory_service.receive(
            db,
            store_id=staff.store.id,
            sku=values["sku"],
            quantity=values["quantity"],
            threshold=values["threshold"] or None,
            actor=staff.user.email,
            actor_id=staff.user.id,
        )
    except StockInputError as exc:
        db.rollback()
        errors = {exc.field or "form": exc.message_in(request.state.language)}
        return _render_list(request, db, staff, values=values, errors=errors, status_code=422)
    return RedirectResponse(f"{_base(staff)}/items/{item.id}?done=received", status_code=303)


def _render_item(
    request: Request,
    db: SessionDep,
    staff: StaffContext,
    item: StockItem,
    *,
    page: int = 1,
    done: str = "",
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    language = request.state.language
    movements = inventory_service.list_movements(
        db, store_id=staff.store.id, item_ids=[item.id], page=page, per_page=PER_PAGE
    )
    item_url = f"{_base(staff)}/items/{item.id}"
    threshold = "" if item.low_stock_threshold is None else str(item.low_stock_threshold)
    context = get_store_context(
        request,
        db,
        page_title=t("inventory.item.title", language, sku=item.sku),
        active=ACTIVE,
        item=item,
        movements=movements,
        base=_base(staff),
        item_url=item_url,
        page_base=f"{item_url}?",
        can_adjust=staff.can("inventory.adjust"),
        reasons=_reasons(language),
        values=values or {"quantity": "", "reason": "adjustment", "note": "", "threshold": threshold},
        errors=errors or {},
        flash=_flash(done, language),
    )
    return render(request, "inventory/store/item.html", context, status_code=status_code)


@router.get("/{store_code}/inventory/items/{item_id}")
def item_page(
    request: Request, item_id: int, db: SessionDep, staff: StaffWith("inventory.view"), page: PageNumber = 1, done: str = ""
) -> Response:
    """One item: its levels, the adjustment form and its movement history."""
    item = inventory_service.get_item(db, store_id=staff.store.id, item_id=item_id)
    return _render_item(request, db, staff, item, page=page, done=done)


@router.post("/{store_code}/inventory/items/{item_id}/adjust")
def adjust_item(
    request: Request, item_id: int, db: SessionDep, staff: StaffWith("inventory.adjust"), form: PostedForm
) -> Response:
    """Add or remove units with a reason; the form comes back with messages when refused."""
    item = inventory_service.get_item(db, store_id=staff.store.id, item_id=item_id)
    values = {key: form_text(form, key, strip=True) for key in ("quantity", "reason", "note")}
    values["threshold"] = "" if item.low_stock_threshold is None else str(item.low_stock_threshold)
    try:
        inventory_service.adjust_item(
            db,
            store_id=staff.store.id,
            item_id=item.id,
            quantity=values["quantity"],
            reason=values["reason"],
            note=values["note"],
            actor=staff.user.email,
            actor_id=staff.user.id,
        )
    except StockInputError as exc:
        db.rollback()
        item = inventory_service.get_item(db, store_id=staff.store.id, item_id=item_id)
        errors = {exc.field or "form": exc.message_in(request.state.language)}
        return _render_item(request, db, staff, item, values=values, errors=errors, status_code=422)
    return RedirectResponse(f"{_base(staff)}/items/{item.id}?done=adjusted", status_code=303)


@router.post("/{store_code}/inventory/items/{item_id}/threshold")
def set_threshold(
    request: Request, item_id: int, db: SessionDep, staff: StaffWith("inventory.adjust"), form: PostedForm
) -> Response:
    """Change or clear (empty field) the low-stock threshold of an item."""
    item = inventory_service.get_item(db, store_id=staff.store.id, item_id=item_id)
    values = {"quantity": "", "reason": "adjustment", "note": "", "threshold": form_text(form, "threshold", strip=True)}
    try:
        inventory_service.set_threshold(
            db, store_id=staff.store.id, item_id=item.id, threshold=values["threshold"]
        )
    except StockInputError as exc:
        db.rollback()
        item = inventory_service.get_item(db, store_id=staff.store.id, item_id=item_id)
        errors = {exc.field or "form": exc.message_in(request.state.language)}
        return _render_item(request, db, staff, item, values=values, errors=errors, status_code=422)
    return RedirectResponse(f"{_base(staff)}/items/{item.id}?done=threshold", status_code=303)
