"""The audit log, readable: every admin at ``/admin/audit`` (filters: who, platform, store,
module, action, dates) and a store's owners at ``/store/{store}/audit`` (their store only), with
the admins working in the store on support access right now and a button that ends it.

Mounted by ``admin.py`` and ``store.py`` (``include_router``), so the module gate and the CSRF
check apply. Filters are query parameters, so a filtered view can be bookmarked and shared.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from orion_server import audit, support_access
from orion_server.deps import Reach, SessionDep, StaffWith
from orion_server.flash import DONE_PARAM, flash_for, with_done
from orion_server.models import Platform, Store
from orion_server.modules.context import get_admin_context, get_store_context
from orion_server.routing import ModuleRouter
from orion_server.templating import render

admin_audit = ModuleRouter()
store_audit = ModuleRouter()
SUPPORT_FLASHES = frozenset({"ended", "not_running"})


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _context_values(request: Request, db: Session, chosen: audit.AuditFilter, page: int, *, platform_ids=None) -> dict:
    entries = audit.search(db, chosen, page=page, platform_ids=platform_ids)
    query = {k: v for k, v in request.query_params.items() if k not in ("page", DONE_PARAM) and v}
    stores = {s.id: s for s in db.scalars(select(Store).where(Store.id.in_({e.store_id for e in entries.items if e.store_id})))}
    platforms = {p.id: p for p in db.scalars(select(Platform))}
    return {
        "entries": entries,
        "chosen": chosen,
        "query_string": urlencode(query),
        "filtered": bool(query),
        "stores_by_id": stores,
        "platforms_by_id": platforms,
        "modules_in_log": audit.modules_in_log(db),
    }


@admin_audit.get("/audit")
def admin_audit_page(
    request: Request,
    db: SessionDep,
    reach: Reach,
    who: str = "",
    platform: str = "",
    store: str = "",
    module: str = "",
    action: str = "",
    since: str = "",
    until: str = "",
    page: int = 1,
) -> Response:
    """Every entry of the log (a platform admin's: their platforms'), newest first, narrowed by
    the filters."""
    platform_row = db.scalar(select(Platform).where(Platform.code == platform)) if platform else None
    store_row = db.scalar(select(Store).where(Store.code == store.strip().lower())) if store.strip() else None
    unknown_store = bool(store.strip()) and store_row is None
    chosen = audit.AuditFilter(
        who=who[:200], platform_id=platform_row.id if platform_row else None,
        store_id=store_row.id if store_row else (-1 if unknown_store else None),
        module=module[:50], action=action[:100], since=_day(since), until=_day(until),
    )
    values = _context_values(request, db, chosen, page, platform_ids=reach.platform_ids)
    context = get_admin_context(
        request, db, active="audit", base="/admin/audit", scope="admin",
        form={"who": who, "platform": platform, "store": store, "module": module, "action": action,
              "since": since, "until": until},
        platforms=reach.platforms(db), **values,
    )
    context["page_title"] = context["t"]("core.audit_log.title")
    return render(request, "core/audit.html", context)


@store_audit.get("/{store_code}/audit")
def store_audit_page(
    request: Request,
    store_code: str,
    db: SessionDep,
    staff: StaffWith("core.audit.view"),
    who: str = "",
    module: str = "",
    action: str = "",
    since: str = "",
    until: str = "",
    page: int = 1,
    done: str = "",
) -> Response:
    """The entries about this store, newest first, and the admins in it on support now."""
    chosen = audit.AuditFilter(who=who[:200], store_id=staff.store.id, module=module[:50], action=action[:100],
                               since=_day(since), until=_day(until))
    values = _context_values(request, db, chosen, page)
    context = get_store_context(
        request, db, active="audit", base=f"/store/{store_code}/audit", scope="store",
        form={"who": who, "module": module, "action": action, "since": since, "until": until}, **values,
    )
    context["support_running"] = support_access.running_in_store(db, store_id=staff.store.id)
    context["may_end_support"] = staff.can("core.support.end")
    context["flash"] = flash_for(done, prefix="core.support.flash.", allowed=SUPPORT_FLASHES,
                                 language=request.state.language, kind="info" if done == "not_running" else "ok")
    context["page_title"] = context["t"]("core.audit_log.title")
    return render(request, "core/audit.html", context)


@store_audit.post("/{store_code}/audit/support/{access_id}/end")
def end_support_access_for_store(
    request: Request, store_code: str, access_id: int, db: SessionDep, staff: StaffWith("core.support.end"),
) -> Response:
    """End an admin's support access to this store now (the owner's call, recorded)."""
    ended = support_access.end_for_store(db, store=staff.store, access_id=access_id, by=staff.user)
    return RedirectResponse(with_done(f"/store/{store_code}/audit", "ended" if ended else "not_running"),
                            status_code=303)

