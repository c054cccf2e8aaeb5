"""A store's usage of its plan's limits, as the plan page shows it: a bar per limit, a
warning from 80 %, and the plan that allows more."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from modules.billing.models.tiers import LIMIT_KEYS, TIER_LIMITS, TierCode, lifted_by

WARN_FROM = 0.8
"""The share of a limit from which the plan page warns."""


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
    def percent(self) -> int | None:
        """Share of the limit used, 0-100 (capped); None when unlimited."""
        if self.limit is None:
            return None
        if self.limit == 0:
            return 100
        return min(100, round(100 * self.used / self.limit))

    @property
    def state(self) -> str:
        """``ok``, ``near`` (from 80 %) or ``full`` (no room left); ``ok`` when unlimited."""
        if self.limit is None:
            return "ok"
        if self.used >= self.limit:
            return "full"
        return "near" if self.used >= WARN_FROM * self.limit else "ok"


def plan_usage(counted: Mapping[str, int], tier: str) -> list[LimitUsage]:
    """Each limit of ``tier`` that a module counts (``usage_of``), in the tiers' order."""
    code = TierCode(tier)
    return [
        LimitUsage(key=key, used=counted[key], limit=TIER_LIMITS[code].get(key), lifted_by=lifted_by(code, key))
        for key in LIMIT_KEYS
        if key in counted
    ]
