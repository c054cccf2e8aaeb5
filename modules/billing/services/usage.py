"""A store's usage of its plan's limits, as the plan page shows it: a bar per limit, a
warning from 80 %, and the plan that allows more."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from modules.billing.models.tiers import LIMIT_KEYS, TIER_LIMITS, TierCode, lifted_by
from modules.contracts.tier_limits import TierLimit


@dataclass(frozen=True)
class LimitUsage:
    """One limit of the store's plan and what the store uses of it."""

    key: str
    used: int
    limit: int | None
    """None: unlimited."""
    lifted_by: str | None
    """The cheapest plan allowing more (for the warning)."""

    @property
    def _limit(self) -> TierLimit:
        return TierLimit(tier_name="", limit=self.limit, lifted_by=self.lifted_by)

    @property
    def percent(self) -> int | None:
        """Share of the limit used, 0-100 (capped); None when unlimited."""
        return self._limit.percent(self.used)

    @property
    def state(self) -> str:
        """``ok``, ``near`` (from 80 %) or ``full`` (no room left); ``ok`` when unlimited."""
        if self._limit.reached(self.used):
            return "full"
        return "near" if self._limit.near(self.used) else "ok"


def plan_usage(counted: Mapping[str, int], tier: str) -> list[LimitUsage]:
    """Each limit of ``tier`` that a module counts (``usage_of``), in the tiers' order."""
    code = TierCode(tier)
    return [
        LimitUsage(key=key, used=counted[key], limit=TIER_LIMITS[code].get(key), lifted_by=lifted_by(code, key))
        for key in LIMIT_KEYS
        if key in counted
    ]
