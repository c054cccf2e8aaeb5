"""Whether a store is in good standing with its platform: a store whose subscription is
unpaid past its grace period is read-only for its staff, and its storefront takes new orders
only if the platform allows it.

The billing module provides ``StandingProvider`` (``provides=`` in its definition). The
framework asks ``standing_of(db, store_id=...)`` before any change a staff member makes; the
modules ``exempt`` may still change things (billing itself, so the store can pay). Checkout
asks it before placing an order. Where no module provides standing, every store is in good
standing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from orion_server.providers import get_provider
from orion_server.tenants import platform_id_of_store


@dataclass(frozen=True)
class StoreStanding:
    """Where a store stands with its platform."""

    read_only: bool = False
    """Staff may look but not change anything (outside the exempt modules)."""
    accepts_orders: bool = True
    """The storefront takes new orders."""
    message_key: str = ""
    """Translation key of what staff are told when a change is refused."""
    params: dict[str, Any] = field(default_factory=dict)
    """Its parameters (the date the store turned read-only, the overdue invoice...)."""


GOOD_STANDING = StoreStanding()


@runtime_checkable
class StandingProvider(Protocol):
    """The module that knows whether stores pay what they owe (billing)."""

    exempt: tuple[str, ...]
    """Modules whose store routes still change things in a read-only store (``billing``)."""

    def standing(self, db: Any, *, store_id: int) -> StoreStanding:
        """The store's standing now."""
        ...


def standing_provider(db: Any, *, store_id: int) -> StandingProvider | None:
    """The provider on the store's platform, None where none is enabled."""
    return get_provider(db, StandingProvider, platform_id=platform_id_of_store(db, store_id))


def standing_of(db: Any, *, store_id: int) -> StoreStanding:
    """The store's standing; good where no module provides standing on its platform."""
    provider = standing_provider(db, store_id=store_id)
    return provider.standing(db, store_id=store_id) if provider is not None else GOOD_STANDING
