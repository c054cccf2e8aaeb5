"""The contract a module author sees: ``ModuleDefinition`` and ``PermissionDefinition``.

Everything a module offers to or takes from others is declared here, by name: a *target* is a
string ``".file:attribute"`` relative to the module's package (``".listeners:send_receipt"``
is ``modules.messaging.listeners.send_receipt`` in messaging). Definitions stay plain data,
cheap to import, and ``orion validate`` checks that every target resolves.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from orion_server.modules.enums import FrontendType, ModuleTier

Target = str
"""``".file:attribute"``: an object inside the module, imported when first needed."""

ContextProvider = Callable[[Any, Any, Any], dict[str, Any]]
"""``(request, db, platform) -> dict`` merged into a page's template context."""

HealthCheck = Callable[[], "HealthResult | bool | None"]
"""``() -> HealthResult``: whether the module can do its work."""


class TargetError(LookupError):
    """A target named in a definition does not resolve; the message says which and why."""


@dataclass(frozen=True)
class HealthResult:
    """What a module's health check reports."""

    ok: bool
    """True when the module can do its work."""
    detail: str = ""
    """A sentence for the operator when it cannot."""


@dataclass(frozen=True)
class PermissionDefinition:
    """A permission a module declares for role-based access control."""

    id: str
    """Dotted identifier, e.g. ``catalog.edit``; the prefix is the module's code."""
    label_key: str
    """Translation key of the short label shown in role editors."""
    description_key: str = ""
    """Translation key of a one-sentence explanation."""
    category: str = ""
    """Group heading in role editors, usually the module code."""
    scope: str = "store"
    """``store``: held through a store role and offered in the role editor; ``admin``: an
    admin-dashboard permission (super admins hold every one, platform admins all but
    ``SUPER_ADMIN_PERMISSIONS``)."""


@dataclass(frozen=True)
class MenuItem:
    """An entry a module adds to a frontend's navigation."""

    id: str
    """Stable identifier of the entry, unique within the frontend."""
    label_key: str
    """Translation key of the label."""
    path: str
    """Path relative to the frontend root; ``{store_code}`` is filled in on store menus."""
    permission: str | None = None
    """Permission needed to see the entry; None means any signed-in user of that frontend."""
    icon: str = "dot"
    """Name of an icon in resources/static/icons."""
    order: int = 100
    """Sort key; lower comes first."""


@dataclass
class ModuleDefinition:
    """Everything the framework needs to know about a module; lives in ``definition.py``."""

    code: str
    """Unique identifier, e.g. ``billing``; the package name is the code with - replaced by _."""
    name: str
    """Display name."""
    description: str = ""
    """What the module provides, in one or two sentences."""
    version: str = "1.0.0"
    """Semantic version of the module."""
    requires: list[str] = field(default_factory=list)
    """Codes of modules this one depends on; enabling it enables them."""
    features: list[str] = field(default_factory=list)
    """Feature codes the billing tiers gate (through a contract)."""
    permissions: list[PermissionDefinition] = field(default_factory=list)
    """Permissions this module declares."""
    menu_items: dict[FrontendType, list[MenuItem | str]] = field(default_factory=dict)
    """Navigation entries per frontend (a plain string names an entry without a link)."""
    is_core: bool = False
    """Always enabled; cannot be disabled."""
    is_internal: bool = False
    """Admin-only tooling, never shown to stores or shoppers."""
    listeners: dict[type, Target] = field(default_factory=dict)
    """Event class (``modules.contracts.events``) -> ``(db, event)`` function, called after the
    change that announced it was committed, once per event, only where this module is on."""
    provides: dict[type, Target] = field(default_factory=dict)
    """Protocol (``modules.contracts``) -> factory of its implementation, handed to consumers
    (``orion_server.providers``) on platforms where this module is on."""
    context_providers: dict[FrontendType, Target] = field(default_factory=dict)
    """Frontend -> ``(request, db, platform) -> dict`` merged into that frontend's pages: what is
    the same for every visitor of a page (menus, header pages)."""
    visitor_providers: dict[FrontendType, Target] = field(default_factory=dict)
    """Frontend -> ``(request, db, platform) -> dict``: what differs from one visitor to the next
    (the cart count, who is signed in). Filled per request, also into a page served from the
    page cache (``orion_server.page_cache``); a provider answering ``{PERSONAL_PAGE: True}``
    (a signed-in shopper) has the page made for this visitor alone."""
    widget_provider: Target | None = None
    """Factory of a ``DashboardWidgetProviderProtocol`` (``modules.contracts.widgets``)."""
    metrics_provider: Target | None = None
    """Factory of a ``MetricsProviderProtocol`` (``modules.contracts.metrics``)."""
    health_check: Target | None = None
    """``() -> HealthResult``: whether the module can work; used by /health/ready."""

    # Filled in by discovery.
    package: str = ""
    """Python package the module was imported from (set by discovery)."""
    path: Path | None = None
    """Folder of the module on disk (set by discovery)."""

    @property
    def tier(self) -> ModuleTier:
        """Core, optional or internal."""
        if self.is_core:
            return ModuleTier.CORE
        if self.is_internal:
            return ModuleTier.INTERNAL
        return ModuleTier.OPTIONAL

    @property
    def package_name(self) -> str:
        """Folder and Python package name for this code."""
        return self.code.replace("-", "_")

    def targets(self) -> list[tuple[str, Target]]:
        """Every target the definition names, with where it is named (for checks and tools)."""
        named: list[tuple[str, Target]] = []
        named += [(f"listeners[{event.__name__}]", t) for event, t in self.listeners.items()]
        named += [(f"provides[{proto.__name__}]", t) for proto, t in self.provides.items()]
        named += [(f"context_providers[{f.value}]", t) for f, t in self.context_providers.items()]
        named += [(f"visitor_providers[{f.value}]", t) for f, t in self.visitor_providers.items()]
        for attribute in ("widget_provider", "metrics_provider", "health_check"):
            value = getattr(self, attribute)
            if value is not None:
                named.append((attribute, value))
        return named

    def resolve(self, target: Target | Callable[..., Any]) -> Any:
        """The object ``target`` names, imported on first use; TargetError when it cannot be.
        A callable stands for itself (tests put one in place of a target)."""
        if callable(target):
            return target
        if not isinstance(target, str) or not target.startswith(".") or target.count(":") != 1:
            raise TargetError(
                f"module {self.code}: {target!r} is not a target of the form '.file:attribute'"
            )
        dotted, attribute = target.split(":")
        module_name = (self.package or self.package_name) + dotted.rstrip(".")
        try:
            module = importlib.import_module(module_name)
        except ImportError as exc:
            raise TargetError(f"module {self.code}: {target!r}: cannot import {module_name}: {exc}") from exc
        try:
            return getattr(module, attribute)
        except AttributeError:
            raise TargetError(f"module {self.code}: {target!r}: {module_name} has no {attribute!r}") from None

    def permission_ids(self) -> set[str]:
        """Ids of the permissions this module declares."""
        return {p.id for p in self.permissions}

    def resource_dir(self, relative: str) -> Path | None:
        """A folder inside the module (``templates``, ``locales``, ``static``,
        ``migrations/versions``), or None if it does not exist."""
        if self.path is None:
            return None
        folder = self.path / relative
        return folder if folder.is_dir() else None
