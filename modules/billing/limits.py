"""Billing's side of the ``TierLimits`` and ``StandingProvider`` contracts: the limits and
features of the tier a store is on, and whether it is read-only for an unpaid invoice."""

from __future__ import annotations

from typing import Any

from modules.billing.config import config as billing_config
from modules.billing.models.tiers import (
    FEATURE_MIN_TIER,
    TIER_LIMITS,
    TierCode,
    lifted_by,
    tier_has_feature,
)
from modules.billing.services.standing import standing_service
from modules.billing.services.subscription_service import subscription_service
from modules.contracts.store_standing import StoreStanding
from modules.contracts.tier_limits import TierFeature, TierLimit
from orion_server.models import Store


def _plans_path(db: Any, store_id: int) -> str | None:
    store = db.get(Store, store_id)
    return f"/store/{store.code}/billing#choose" if store is not None else None


class BillingTierLimits:
    """Reads the store's subscription; a store that never opened billing is on the trial tier."""

    @staticmethod
    def _tier(db: Any, store_id: int) -> TierCode:
        subscription = subscription_service.get_subscription(db, store_id=store_id)
        return TierCode(subscription.tier if subscription is not None else billing_config.trial_tier)

    def feature(self, db: Any, *, store_id: int, feature: str) -> TierFeature:
        tier = self._tier(db, store_id)
        minimum = FEATURE_MIN_TIER.get(feature)
        return TierFeature(
            allowed=tier_has_feature(tier, feature),
            tier_name=TIER_LIMITS[tier]["name"],
            needed_tier_name=TIER_LIMITS[minimum]["name"] if minimum is not None else None,
            label_key=f"billing.feature.{feature}",
            plans_path=_plans_path(db, store_id),
        )

    def limit(self, db: Any, *, store_id: int, key: str) -> TierLimit:
        tier = self._tier(db, store_id)
        limits = TIER_LIMITS[tier]
        return TierLimit(tier_name=limits["name"], limit=limits.get(key), lifted_by=lifted_by(tier, key),
                         plans_path=_plans_path(db, store_id))



class BillingStanding:
    """A store is read-only once an invoice stays unpaid past the grace period; its staff can
    still open billing to pay or change plan."""

    exempt = ("billing",)

    def standing(self, db: Any, *, store_id: int) -> StoreStanding:
        return standing_service.standing(db, store_id=store_id)
