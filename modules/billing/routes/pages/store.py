"""Store dashboard pages of the Billing module: the store's plan and its limits."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import Response

from modules.billing.config import config
from modules.billing.models import TIER_LIMITS, TierCode, tier_rank, tier_summary
from modules.billing.services import plan_usage, subscription_service
from modules.contracts.tier_limits import usage_of
from orion_server.database import utcnow
from orion_server.deps import SessionDep, StaffWith
from orion_server.i18n import t
from orion_server.modules.context import get_store_context
from orion_server.routing import ModuleRouter
from orion_server.templating import render

router = ModuleRouter()


@router.get("/{store_code}/billing")
def billing_overview(request: Request, db: SessionDep, staff: StaffWith("billing.view")) -> Response:
    """The store's plan, trial and tier limits; the first visit starts the free trial."""
    now = utcnow()
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
        page_title=t("billing.store.title", request.state.language),
        active="billing",
        subscription=subscription,
        tier=tier,
        usage=usage,
        higher_tiers=higher,
        trial_days_left=subscription.trial_days_left(now),
        trial_expired=subscription.trial_expired(now),
        currency=config.currency,
    )
    return render(request, "billing/store/overview.html", context)
