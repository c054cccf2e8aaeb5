"""What a store member may do: the built-in roles, and the union of a member's roles.

A member holds at most one built-in role and any number of the store's own roles
(``StoreRole``); their permissions are the union. The built-in roles are defined here, not
stored, so a module added later grants its permissions to owners and managers without a
migration:

- **owner**: every store permission; a store always keeps at least one owner.
- **manager**: every store permission except managing the team, editing the store's settings,
  payment provider settings and refunds, and ending a platform admin's support access
  (``MANAGER_WITHHELD``): runs the shop day to day.
- **staff**: the day's work (``STAFF_PERMISSIONS``): the dashboard, reading and editing
  products, handling orders, adjusting stock, reading customers, answering messages.

Only permissions declared with ``scope="store"`` by a module are store permissions; the admin
dashboard's permissions are not offered to stores.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass

from orion_server.modules import hooks, registry
from orion_server.modules.base import PermissionDefinition

OWNER, MANAGER, STAFF = "owner", "manager", "staff"
BUILT_IN_ROLES = (OWNER, MANAGER, STAFF)

MANAGER_WITHHELD = frozenset({
    "core.team.manage",
    "core.support.end",
    "core.settings.edit",
    "payments.manage",
    "payments.refund",
})
"""What a manager does not get: who works in (or supports) the store, its identity and money settings."""

STAFF_PERMISSIONS = frozenset({
    "core.dashboard.view",
    "catalog.view",
    "catalog.edit",
    "orders.view",
    "orders.edit",
    "inventory.view",
    "inventory.adjust",
    "customers.view",
    "messaging.view",
    "messaging.send",
    "cms.pages.view",
})
"""What the built-in staff role may do (where the module is declared)."""


def store_permissions(enabled: Iterable[str] | None = None) -> list[PermissionDefinition]:
    """The store permissions declared by the modules ``enabled`` (every module when None), in
    module order."""
    wanted = None if enabled is None else set(enabled)
    return [
        permission
        for code, module in registry.MODULES.items()
        if wanted is None or code in wanted
        for permission in module.permissions
        if permission.scope == "store"
    ]


@functools.cache
def store_permission_ids() -> frozenset[str]:
    """Every store permission any module declares (computed once per registry: every store
    request asks)."""
    return frozenset(p.id for p in store_permissions())


hooks.on_registry_reload(store_permission_ids.cache_clear)


def built_in_permissions(role: str | None) -> frozenset[str]:
    """The permissions of a built-in role (none for None or an unknown name)."""
    every = store_permission_ids()
    if role == OWNER:
        return every
    if role == MANAGER:
        return every - MANAGER_WITHHELD
    if role == STAFF:
        return every & STAFF_PERMISSIONS
    return frozenset()


@dataclass(frozen=True)
class Access:
    """What one member may do in one store."""

    role: str | None
    """The built-in role, or None."""
    permissions: frozenset[str]

    @property
    def is_owner(self) -> bool:
        return self.role == OWNER


def member_access(role: str | None, custom_permissions: Iterable[Iterable[str]]) -> Access:
    """The union of a built-in role's permissions and those of the store's own roles."""
    granted = set(built_in_permissions(role))
    for permissions in custom_permissions:
        granted.update(permissions or ())
    return Access(role, frozenset(granted & store_permission_ids()))
