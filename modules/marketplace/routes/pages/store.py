"""The store dashboard's Letzshop page: the feed addresses per language, when the feed was
last written and how many rows it has, "write it now" and "new secret address"."""

from __future__ import annotations

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse, Response

from modules.marketplace.services import feed_service
from modules.marketplace.services.feeds import FEED_LANGUAGES, storefront_root
from modules.marketplace.tasks.feeds import schedule_generation
from orion_server.config import LANGUAGE_NAMES
from orion_server.deps import SessionDep, StaffWith, not_found_as_404
from orion_server.flash import flash_for, with_done
from orion_server.i18n import t
from orion_server.modules.context import get_store_context
from orion_server.routing import ModuleRouter
from orion_server.templating import render

router = ModuleRouter(dependencies=[Depends(not_found_as_404)])

ACTIVE = "marketplace-letzshop"
FLASHES = {"regenerating", "new_token"}


@router.get("/{store_code}/marketplace")
def letzshop_page(request: Request, db: SessionDep, staff: StaffWith("marketplace.manage"), done: str = "") -> Response:
    """The feed's addresses and state."""
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
        flash=flash_for(done, prefix="marketplace.flash.", allowed=FLASHES, language=language),
    )
    return render(request, "marketplace/store/letzshop.html", context)


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
