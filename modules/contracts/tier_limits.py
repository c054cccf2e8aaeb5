"""The limits of a store's billing tier, which billing provides
(``provides={TierLimits: ...}``) and the modules that enforce them read; None where billing is
off (no limit then)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from orion_server.providers import get_provider, get_providers
from orion_server.tenants import platform_id_of_store

STAFF_USERS = "staff_users"
"""How many people may work in the store (its members and open invitations)."""
PRODUCTS = "products"
"""How many products the store may have (drafts included)."""
ORDERS_PER_MONTH = "orders_per_month"
"""How many orders the store takes in a calendar month (UTC)."""

WARN_FROM = 0.8
"""The share of a limit from which the store is warned."""


@dataclass(frozen=True)
class TierLimit:
    """One limit of the store's current tier."""

    tier_name: str
    """The tier's display name, e.g. ``Professional``."""
    limit: int | None
    """None means unlimited."""
    lifted_by: str | None = None
    """The display name of the cheapest tier allowing more, for the message that says how to
    go past the limit; None when no tier allows more (or there is no limit)."""
    plans_path: str | None = None
    """The store dashboard's page where the store changes its plan."""

    def reached(self, used: int) -> bool:
        """Whether ``used`` leaves no room for one more."""
        return self.limit is not None and used >= self.limit

    def near(self, used: int) -> bool:
        """Whether ``used`` is at 80 % of the limit or more (when the store is warned)."""
        return self.limit is not None and used >= WARN_FROM * self.limit

    def percent(self, used: int) -> int | None:
        """Share of the limit used, 0-100 (capped); None when unlimited."""
        if self.limit is None:
            return None
        if self.limit == 0:
            return 100
        return min(100, round(100 * used / self.limit))

    def message_params(self, used: int) -> dict[str, Any]:
        """What a limit message names: the tier, its limit, the usage and the tier lifting it."""
        return {"tier": self.tier_name, "limit": self.limit, "used": used, "upgrade": self.lifted_by}


@dataclass(frozen=True)
class TierFeature:
    """Whether the store's current tier includes one feature."""

    allowed: bool
    tier_name: str
    """The store's tier, e.g. ``Essential``."""
    needed_tier_name: str | None
    """The cheapest tier including the feature; None when no tier does (an unknown feature)."""
    label_key: str
    """Translation key of the feature's name, e.g. ``billing.feature.analytics_dashboard``."""
    plans_path: str | None = None
    """The store dashboard's page where the store changes its plan."""


@runtime_checkable
class TierLimits(Protocol):
    """A store's tier limits and features, provided by the billing module."""

    def limit(self, db: Any, *, store_id: int, key: str) -> TierLimit:
        """The store's current limit for ``key`` (``staff_users``, ``products``,
        ``orders_per_month``)."""
        ...

    def feature(self, db: Any, *, store_id: int, feature: str) -> TierFeature:
        """Whether the store's current tier includes ``feature`` (e.g. ``analytics_dashboard``)."""
        ...


@runtime_checkable
class PlanUsage(Protocol):
    """What a store uses of the limits one module counts (catalog its products, orders this
    month's orders, core the team), for the plan page's usage bars."""

    def usage(self, db: Any, *, store_id: int) -> Mapping[str, int]:
        """``{limit key: used}`` for the keys this module counts."""
        ...


def usage_of(db: Any, *, store_id: int) -> dict[str, int]:
    """The store's usage of every limit a module enabled on its platform counts."""
    counted: dict[str, int] = {}
    for provider in get_providers(db, PlanUsage, platform_id=platform_id_of_store(db, store_id)):
        counted.update(provider.usage(db, store_id=store_id))
    return counted


def _provider(db: Any, store_id: int) -> TierLimits | None:
    return get_provider(db, TierLimits, platform_id=platform_id_of_store(db, store_id))


def feature_of(db: Any, *, store_id: int, feature: str) -> TierFeature | None:
    """Whether the store's tier includes ``feature``; None where no module provides tiers on
    its platform (every feature is open then)."""
    limits = _provider(db, store_id)
    return limits.feature(db, store_id=store_id, feature=feature) if limits is not None else None


def limit_of(db: Any, *, store_id: int, key: str) -> TierLimit | None:
    """The store's current limit for ``key`` from the billing module enabled on its platform;
    None where no module provides limits there (no limit then)."""
    limits = _provider(db, store_id)
    return limits.limit(db, store_id=store_id, key=key) if limits is not None else None
