"""The limits of a store's billing tier, which billing provides
(``provides={TierLimits: ...}``) and the modules that enforce them read; None where billing is
off (no limit then)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

STAFF_USERS = "staff_users"
"""How many people may work in the store (its members and open invitations)."""


@dataclass(frozen=True)
class TierLimit:
    """One limit of the store's current tier."""

    tier_name: str
    """The tier's display name, e.g. ``Professional``."""
    limit: int | None
    """None means unlimited."""


@runtime_checkable
class TierLimits(Protocol):
    """A store's tier limits, provided by the billing module."""

    def limit(self, db: Any, *, store_id: int, key: str) -> TierLimit:
        """The store's current limit for ``key`` (``staff_users``, ``products``,
        ``orders_per_month``)."""
        ...
