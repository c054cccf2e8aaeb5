"""Public pages of the Billing module: the pricing page."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import Response

from orion_server.deps import SessionDep
from orion_server.i18n import t
from orion_server.modules.context import get_platform_context
from orion_server.routing import ModuleRouter
from orion_server.templating import render

router = ModuleRouter()


@router.get("/pricing")
def pricing(request: Request, db: SessionDep) -> Response:
    """The tiers as cards, prices in the visitor's locale (tiers come from the PLATFORM provider)."""
    context = get_platform_context(
        request, db, page_title=t("billing.pricing.title", request.state.language)
    )
    return render(request, "billing/platform/pricing.html", context)
