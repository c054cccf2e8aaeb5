"""Where a store's storefront and dashboard answer (path mode, which works on every install)."""

from __future__ import annotations

from orion_server.models import Store


def storefront_path(store: Store) -> str:
    """The storefront's root: ``/platforms/{platform}/storefront/{store}/``."""
    return f"/platforms/{store.platform.code}/storefront/{store.code}/"


def dashboard_path(store: Store) -> str:
    """The store dashboard's root: ``/store/{store}/``."""
    return f"/store/{store.code}/"
