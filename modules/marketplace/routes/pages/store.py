"""The store dashboard's Letzshop page: the feed addresses per language, when the feed was
last written and how many rows it has, "write it now" and "new secret address"; the catalogue
imports; the API connection (endpoint and key), the orders brought in from Letzshop, "sync
now" and the history of the syncs; and a Letzshop order's page, where staff confirm each unit
as available or not and send the tracking number."""

from __future__ import annotations

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import UploadFile

from modules.marketplace.services import feed_service
from modules.marketplace.services.feeds import FEED_LANGUAGES, storefront_root
from modules.marketplace.services.imports import IMPORT_LANGUAGES, MAX_FILE_BYTES, import_service
from modules.marketplace.services.letzshop_client import LetzshopError
from modules.marketplace.services.letzshop_orders import (
    TRACKING_PROVIDERS,
    NotConnected,
    letzshop_orders,
)
from modules.marketplace.tasks.feeds import schedule_generation
from modules.marketplace.tasks.imports import catalogue_import
from modules.marketplace.tasks.letzshop import push_stock_levels, sync_orders
from orion_server.config import LANGUAGE_NAMES
from orion_server.deps import SessionDep, StaffWith, not_found_as_404
from orion_server.errors import OrionError
from orion_server.flash import flash_for, with_done
from orion_server.forms import PostedForm, field_messages, form_text
from orion_server.i18n import t
from orion_server.modules.context import get_store_context
from orion_server.pagination import page_number
from orion_server.routing import ModuleRouter
from orion_server.templating import render

router = ModuleRouter(dependencies=[Depends(not_found_as_404)])

ACTIVE = "marketplace-letzshop"
FLASHES = {"regenerating", "new_token", "import_started", "import_cancelled", "connection_saved", "synced",
           "sync_failed", "confirmed", "shipped"}


def _page(request: Request, db: SessionDep, staff, *, done: str = "", errors: dict[str, str] | None = None,
          values: dict[str, str] | None = None, status_code: int = 200, orders_page: int = 1,
          syncs_page: int = 1) -> Response:
    language = request.state.language
    status = feed_service.status(db, store_id=staff.store.id)
    root = storefront_root(db, staff.store.id)
    feeds = [
        (lang, LANGUAGE_NAMES.get(lang, lang), f"{root}marketplace/feed/{status.token}/letzshop_{lang}.tsv")
        for lang in FEED_LANGUAGES
    ]
    context = get_store_context(
        request,
        db,
        page_title=t("marketplace.letzshop.title", language),
        active=ACTIVE,
        status=status,
        feeds=feeds,
        base=f"/store/{staff.store.code}/marketplace",
        flash=flash_for(done, prefix="marketplace.flash.", allowed=FLASHES, language=language,
                        kind="error" if done == "sync_failed" else "ok"),
        imports=import_service.recent(db, store_id=staff.store.id),
        import_languages=[(lang, LANGUAGE_NAMES.get(lang, lang)) for lang in IMPORT_LANGUAGES],
        errors=errors or {},
        values={"language": staff.store.default_language if staff.store.default_language in IMPORT_LANGUAGES
                else "fr", **(values or {})},
        max_file_mb=MAX_FILE_BYTES // (1024 * 1024),
        connection=letzshop_orders.connection(db, store_id=staff.store.id),
        lz_orders=letzshop_orders.orders(db, store_id=staff.store.id, page=orders_page),
        syncs=letzshop_orders.syncs(db, store_id=staff.store.id, page=syncs_page),
    )
    return render(request, "marketplace/store/letzshop.html", context, status_code=status_code)


@router.get("/{store_code}/marketplace")
def letzshop_page(request: Request, db: SessionDep, staff: StaffWith("marketplace.manage"), done: str = "",
                  orders_page: str = "1", syncs_page: str = "1") -> Response:
    """The feed's addresses and state, the catalogue imports, the API connection, the orders
    from Letzshop and the syncs."""
    return _page(request, db, staff, done=done, orders_page=page_number(orders_page),
                 syncs_page=page_number(syncs_page))


@router.post("/{store_code}/marketplace/imports")
def start_import(request: Request, db: SessionDep, staff: StaffWith("marketplace.manage"), form: PostedForm) -> Response:
    """Keep an uploaded catalogue file and import it in the background."""
    upload = form.get("file")
    data, name = b"", ""
    if isinstance(upload, UploadFile):
        name = upload.filename or ""
        data = upload.file.read(MAX_FILE_BYTES + 1)
    language = form_text(form, "language", strip=True)
    try:
        record = import_service.start(db, store_id=staff.store.id, file_name=name, data=data, language=language,
                                      actor=staff.user.email)
    except OrionError as exc:
        if exc.status >= 500:
            raise
        db.rollback()
        return _page(request, db, staff, errors=field_messages(exc, request.state.language),
                     values={"language": language}, status_code=exc.status)
    catalogue_import(record.id)
    return RedirectResponse(with_done(f"/store/{staff.store.code}/marketplace", "import_started"), status_code=303)


@router.post("/{store_code}/marketplace/imports/{import_id}/cancel")
def cancel_import(import_id: int, db: SessionDep, staff: StaffWith("marketplace.manage")) -> Response:
    """Stop an import before its next batch."""
    import_service.cancel(db, store_id=staff.store.id, import_id=import_id)
    return RedirectResponse(with_done(f"/store/{staff.store.code}/marketplace", "import_cancelled"), status_code=303)


@router.get("/{store_code}/marketplace/imports/{import_id}/errors.csv")
def import_errors(import_id: int, db: SessionDep, staff: StaffWith("marketplace.manage")) -> Response:
    """The rows an import refused: row, column, message."""
    content = import_service.error_report(db, store_id=staff.store.id, import_id=import_id)
    return Response(content.encode("utf-8"), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="import-{import_id}-errors.csv"'})


@router.post("/{store_code}/marketplace/regenerate")
def regenerate(db: SessionDep, staff: StaffWith("marketplace.manage")) -> Response:
    """Write the feed again as soon as a worker is free."""
    feed_service.ensure_feed(db, store_id=staff.store.id)
    schedule_generation(staff.store.id, delay=0)
    return RedirectResponse(with_done(f"/store/{staff.store.code}/marketplace", "regenerating"), status_code=303)


@router.post("/{store_code}/marketplace/token")
def new_token(db: SessionDep, staff: StaffWith("marketplace.manage")) -> Response:
    """A new secret address: the old one stops answering."""
    feed_service.new_token(db, store_id=staff.store.id)
    return RedirectResponse(with_done(f"/store/{staff.store.code}/marketplace", "new_token"), status_code=303)


# -- orders from Letzshop ----------------------------------------------------------------------


@router.post("/{store_code}/marketplace/letzshop/connection")
def save_connection(request: Request, db: SessionDep, staff: StaffWith("marketplace.manage"),
                    form: PostedForm) -> Response:
    """Keep the store's Letzshop API endpoint and key (an empty key keeps the stored one)."""
    endpoint = form_text(form, "endpoint", strip=True)
    try:
        letzshop_orders.save_connection(db, store_id=staff.store.id, endpoint=endpoint,
                                        api_key=form_text(form, "api_key", strip=True), actor=staff.user)
    except OrionError as exc:
        if exc.status >= 500:
            raise
        db.rollback()
        return _page(request, db, staff, errors=field_messages(exc, request.state.language),
                     values={"endpoint": endpoint}, status_code=exc.status)
    return RedirectResponse(with_done(f"/store/{staff.store.code}/marketplace", "connection_saved") + "#letzshop-orders",
                            status_code=303)


@router.post("/{store_code}/marketplace/letzshop/sync")
def sync_now(db: SessionDep, staff: StaffWith("marketplace.manage")) -> Response:
    """Bring the new Letzshop orders in as soon as a worker is free (recorded at once)."""
    store_id, code = staff.store.id, staff.store.code
    run = letzshop_orders.start_sync(db, store_id=store_id, trigger="manual")
    run_id = run.id
    sync_orders(store_id, run_id)
    db.expire_all()
    finished = letzshop_orders.last_sync(db, store_id=store_id)
    done = "sync_failed" if finished is not None and finished.id == run_id and finished.status == "failed" else "synced"
    return RedirectResponse(with_done(f"/store/{code}/marketplace", done) + "#letzshop-syncs", status_code=303)


def _order_page(request: Request, db: SessionDep, staff, letzshop_order_id: int, *, done: str = "",
                errors: dict[str, str] | None = None, values: dict[str, str] | None = None,
                status_code: int = 200) -> Response:
    language = request.state.language
    record = letzshop_orders.get(db, store_id=staff.store.id, letzshop_order_id=letzshop_order_id)
    context = get_store_context(
        request,
        db,
        page_title=t("marketplace.orders.order_title", language, number=record.letzshop_number or record.external_id),
        active=ACTIVE,
        record=record,
        base=f"/store/{staff.store.code}/marketplace",
        flash=flash_for(done, prefix="marketplace.flash.", allowed=FLASHES, language=language),
        errors=errors or {},
        values=values or {},
        providers=[(code, t(f"marketplace.orders.provider_{code}", language)) for code in TRACKING_PROVIDERS],
        waiting=[unit for unit in record.units if unit.state == "unconfirmed"],
        connection=letzshop_orders.connection(db, store_id=staff.store.id),
    )
    return render(request, "marketplace/store/letzshop_order.html", context, status_code=status_code)


@router.get("/{store_code}/marketplace/letzshop/orders/{letzshop_order_id}")
def letzshop_order(request: Request, letzshop_order_id: int, db: SessionDep, staff: StaffWith("marketplace.manage"),
                   done: str = "") -> Response:
    """A Letzshop order: its units and what staff said of them, its state and tracking."""
    return _order_page(request, db, staff, letzshop_order_id, done=done)


def _upstream_problem(request: Request, exc: LetzshopError | NotConnected) -> dict[str, str]:
    return {"form": t(exc.key, request.state.language, **exc.params)}


@router.post("/{store_code}/marketplace/letzshop/orders/{letzshop_order_id}/confirm")
def confirm_units(request: Request, letzshop_order_id: int, db: SessionDep, staff: StaffWith("marketplace.manage"),
                  form: PostedForm) -> Response:
    """Tell Letzshop which waiting units are available (``unit-<id>``: ``available`` or
    ``unavailable``; a unit left unanswered waits)."""
    store_id = staff.store.id
    record = letzshop_orders.get(db, store_id=store_id, letzshop_order_id=letzshop_order_id)
    decisions: dict[int, bool] = {}
    values: dict[str, str] = {}
    for unit in record.units:
        answer = form_text(form, f"unit-{unit.id}", strip=True)
        if answer in ("available", "unavailable"):
            decisions[unit.id] = answer == "available"
            values[f"unit-{unit.id}"] = answer
    try:
        touched = letzshop_orders.confirm(db, store_id=store_id, letzshop_order_id=letzshop_order_id,
                                          decisions=decisions, actor=staff.user.email)
    except (LetzshopError, NotConnected) as exc:
        db.rollback()
        status = 409 if isinstance(exc, NotConnected) else 502
        return _order_page(request, db, staff, letzshop_order_id, errors=_upstream_problem(request, exc),
                           values=values, status_code=status)
    except OrionError as exc:
        if exc.status >= 500:
            raise
        db.rollback()
        return _order_page(request, db, staff, letzshop_order_id, errors=field_messages(exc, request.state.language),
                           values=values, status_code=exc.status)
    if touched:
        push_stock_levels(store_id, sorted(touched))
    return RedirectResponse(
        with_done(f"/store/{staff.store.code}/marketplace/letzshop/orders/{letzshop_order_id}", "confirmed"),
        status_code=303)


@router.post("/{store_code}/marketplace/letzshop/orders/{letzshop_order_id}/ship")
def ship_order(request: Request, letzshop_order_id: int, db: SessionDep, staff: StaffWith("marketplace.manage"),
               form: PostedForm) -> Response:
    """Send the shipment's tracking number to Letzshop: the order is shipped."""
    code = form_text(form, "tracking_code", strip=True)
    provider = form_text(form, "tracking_provider", strip=True)
    values = {"tracking_code": code, "tracking_provider": provider}
    try:
        letzshop_orders.ship(db, store_id=staff.store.id, letzshop_order_id=letzshop_order_id, code=code,
                             provider=provider, actor=staff.user.email)
    except (LetzshopError, NotConnected) as exc:
        db.rollback()
        status = 409 if isinstance(exc, NotConnected) else 502
        return _order_page(request, db, staff, letzshop_order_id, errors=_upstream_problem(request, exc),
                           values=values, status_code=status)
    except OrionError as exc:
        if exc.status >= 500:
            raise
        db.rollback()
        return _order_page(request, db, staff, letzshop_order_id, errors=field_messages(exc, request.state.language),
                           values=values, status_code=exc.status)
    return RedirectResponse(
        with_done(f"/store/{staff.store.code}/marketplace/letzshop/orders/{letzshop_order_id}", "shipped"),
        status_code=303)
