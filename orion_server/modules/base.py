"""The contract a module author sees: ``ModuleDefinition`` and ``PermissionDefinition``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from orion_server.modules.enums import FrontendType, ModuleTier

ContextProvider = Callable[[Any, Any, Any], dict[str, Any]]
"""``(request, db, platform) -> dict`` merged into a page's template context."""

HealthCheck = Callable[[], "HealthResult | bool | None"]


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
    """Feature codes used for tier-based gating."""
    permissions: list[PermissionDefinition] = field(default_factory=list)
    """Permissions this module declares."""
    menu_items: dict[FrontendType, list[MenuItem | str]] = field(default_factory=dict)
    """Navigation entries per frontend (a plain string names an entry without a link)."""
    context_providers: dict[FrontendType, ContextProvider] = field(default_factory=dict)
    """Functions adding template context per frontend, called only where the module is on."""
    is_core: bool = False
    """Always enabled; cannot be disabled."""
    is_internal: bool = False
    """Admin-only tooling, never shown to stores or shoppers."""
    is_self_contained: bool = True
    """Uses the standard self-contained folder layout."""
    services_path: str | None = None
    """Dotted path of the services package."""
    models_path: str | None = None
    """Dotted path of the models package."""
    schemas_path: str | None = None
    """Dotted path of the schemas package."""
    exceptions_path: str | None = None
    """Dotted path of the exceptions module."""
    templates_path: str | None = "templates"
    """Folder of templates, relative to the module."""
    locales_path: str | None = "locales"
    """Folder of locale JSON files, relative to the module."""
    migrations_path: str | None = "migrations/versions"
    """Folder of Alembic revisions, relative to the module."""
    metrics_provider: Callable[[], Any] | None = None
    """Factory returning a ``MetricsProviderProtocol`` (see modules/contracts)."""
    widget_provider: Callable[[], Any] | None = None
    """Factory returning a ``DashboardWidgetProviderProtocol`` (see modules/contracts)."""
    health_check: HealthCheck | None = None
    """Callable telling whether the module can work; used by /health/ready."""
    on_enable: Callable[[Any, int], None] | None = None
    """Called with ``(db, platform_id)`` after the module is enabled on a platform."""
    on_disable: Callable[[Any, int], None] | None = None
    """Called with ``(db, platform_id)`` after the module is disabled on a platform."""
    on_startup: Callable[[], None] | None = None
    """Called once when a server process starts."""

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

    def has_context_provider(self, frontend: FrontendType) -> bool:
        """Whether the module contributes template context to ``frontend``."""
        return frontend in self.context_providers

    def get_context_contribution(
        self, frontend: FrontendType, request: Any, db: Any, platform: Any
    ) -> dict[str, Any]:
        """Call the module's provider for ``frontend``."""
        provider = self.context_providers.get(frontend)
        return provider(request, db, platform) if provider else {}

    def permission_ids(self) -> set[str]:
        """Ids of the permissions this module declares."""
        return {p.id for p in self.permissions}

    def resource_dir(self, relative: str | None) -> Path | None:
        """A folder inside the module, or None if it does not exist."""
        if not relative or self.path is None:
            return None
        folder = self.path / relative
        return folder if folder.is_dir() else None
