"""Billing's side of the ``TierLimits`` contract: the limits of the tier a store is on."""

from __future__ import annotations

from typing import Any

from modules.billing.config import config as billing_config
from modules.billing.models.tiers import TIER_LIMITS, TierCode, tier_rank
from modules.billing.services.subscription_service import subscription_service
from modules.contracts.tier_limits import TierLimit


class BillingTierLimits:
    """Reads the store's subscription; a store that never opened billing is on the trial tier."""

    def limit(self, db: Any, *, store_id: int, key: str) -> TierLimit:
        subscription = subscription_service.get_subscription(db, store_id=store_id)
        tier = TierCode(subscription.tier if subscription is not None else billing_config.trial_tier)
        limits = TIER_LIMITS[tier]
        return TierLimit(tier_name=limits["name"], limit=limits.get(key), lifted_by=_lifted_by(tier, key))


def _lifted_by(tier: TierCode, key: str) -> str | None:
    """The name of the cheapest tier above ``tier`` whose ``key`` limit is higher."""
    current = TIER_LIMITS[tier].get(key)
    if current is None:
        return None
    for higher in list(TierCode)[tier_rank(tier) + 1:]:
        allowed = TIER_LIMITS[higher].get(key)
        if allowed is None or allowed > current:
            return TIER_LIMITS[higher]["name"]
    return None
