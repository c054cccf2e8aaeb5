"""``ModuleService``: which modules are on for a platform, and turning them on and off."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from orion_server import audit
from orion_server.database import begin_write, utcnow
from orion_server.errors import NotFoundError, OrionError
from orion_server.models import Platform, PlatformModule, User
from orion_server.modules import registry
from orion_server.modules.enums import ModuleTier
from orion_server.revision import MISSING, bump_revision, config_cache

logger = logging.getLogger(__name__)


class UnknownModuleError(NotFoundError):
    """No module has this code."""

    code = "unknown_module"


class CoreModuleError(OrionError):
    """Core modules are always on."""

    status = 409
    code = "core_module"


@dataclass(frozen=True)
class ModuleState:
    """A module as seen on one platform."""

    code: str
    name: str
    description: str
    tier: str
    requires: list[str]
    enabled: bool


@dataclass
class ModuleChange:
    """The outcome (or, for a dry run, the preview) of enabling or disabling a module."""

    action: str
    """``enable`` or ``disable``."""
    module: str
    """The module asked for."""
    platform_id: int
    changed: list[str] = field(default_factory=list)
    """Codes whose state changes, in the order they change (the cascade)."""
    dry_run: bool = False

    @property
    def cascaded(self) -> list[str]:
        """Modules changed besides the one asked for."""
        return [code for code in self.changed if code != self.module]


def default_enabled(tier: ModuleTier) -> bool:
    """The state a module has on a platform that never toggled it."""
    return tier in (ModuleTier.CORE, ModuleTier.INTERNAL)


class ModuleService:
    """Reads and changes module enablement per platform; changes are audited."""

    def _stored_states(self, db: Session, platform_id: int) -> dict[str, bool]:
        rows = db.execute(
            select(PlatformModule.module_code, PlatformModule.is_enabled).where(
                PlatformModule.platform_id == platform_id
            )
        )
        return {code: enabled for code, enabled in rows}

    def _compute_enabled(self, db: Session, platform_id: int) -> frozenset[str]:
        stored = self._stored_states(db, platform_id)
        enabled: set[str] = set()
        for code, module in registry.MODULES.items():  # dependency order
            on = module.is_core or stored.get(code, default_enabled(module.tier))
            if on and all(req in enabled for req in module.requires):
                enabled.add(code)
        return frozenset(enabled)

    def get_enabled_module_codes(self, db: Session, platform_id: int) -> frozenset[str]:
        """Codes of the modules on for the platform (cached until the revision moves)."""
        return config_cache.get(
            db, ("enabled_modules", platform_id), lambda s: self._compute_enabled(s, platform_id)
        )

    def enabled_codes_if_known(self, platform_id: int) -> frozenset[str] | None:
        """The codes of the modules on for the platform when this process knows them without
        asking the database (its copy is current), else None."""
        known = config_cache.peek(("enabled_modules", platform_id))
        return None if known is MISSING else known

    def is_module_enabled(self, db: Session, platform_id: int, code: str) -> bool:
        """Whether ``code`` is on for the platform."""
        return code in self.get_enabled_module_codes(db, platform_id)

    def get_platform_modules(self, db: Session, platform_id: int) -> list[ModuleState]:
        """Every known module with its state on the platform, in dependency order."""
        self._require_platform(db, platform_id)
        enabled = self.get_enabled_module_codes(db, platform_id)
        return [
            ModuleState(
                code=m.code,
                name=m.name,
                description=m.description,
                tier=m.tier.value,
                requires=list(m.requires),
                enabled=m.code in enabled,
            )
            for m in registry.MODULES.values()
        ]

    def enable_module(
        self, db: Session, platform_id: int, code: str, *, user_id: int | None = None, dry_run: bool = False
    ) -> ModuleChange:
        """Turn ``code`` on, with everything it requires; a dry run only reports the cascade."""
        module = self._require_module(code)
        if not dry_run:
            begin_write(db)
        self._require_platform(db, platform_id)
        enabled = self._compute_enabled(db, platform_id)
        wanted = [*registry.requirements_of(code), code]
        change = ModuleChange("enable", module.code, platform_id, dry_run=dry_run)
        change.changed = [c for c in wanted if c not in enabled]
        if not dry_run:
            self._apply(db, change, True, user_id)
        return change

    def disable_module(
        self, db: Session, platform_id: int, code: str, *, user_id: int | None = None, dry_run: bool = False
    ) -> ModuleChange:
        """Turn ``code`` off, with everything that depends on it; data is kept."""
        module = self._require_module(code)
        if module.is_core:
            raise CoreModuleError(f"{module.code} is a core module and cannot be disabled")
        if not dry_run:
            begin_write(db)
        self._require_platform(db, platform_id)
        enabled = self._compute_enabled(db, platform_id)
        dependents = registry.dependents_of(code)
        blocking = [c for c in dependents if registry.MODULES[c].is_core]
        if blocking:
            raise CoreModuleError(
                f"{module.code} cannot be disabled: core module {blocking[0]} depends on it"
            )
        change = ModuleChange("disable", module.code, platform_id, dry_run=dry_run)
        change.changed = [c for c in reversed([*dependents]) if c in enabled]
        if code in enabled:
            change.changed.append(code)
        if not dry_run:
            self._apply(db, change, False, user_id)
        return change

    def _apply(self, db: Session, change: ModuleChange, on: bool, user_id: int | None) -> None:
        # Pin the asked-for module's own row even when it was already in that state, so an
        # explicit choice survives a later change of the tier default.
        codes = change.changed or [change.module]
        existing = {
            row.module_code: row
            for row in db.scalars(
                select(PlatformModule).where(
                    PlatformModule.platform_id == change.platform_id,
                    PlatformModule.module_code.in_(codes),
                )
            )
        }
        now = utcnow()
        for code in codes:
            row = existing.get(code)
            if row is None:
                db.add(
                    PlatformModule(
                        platform_id=change.platform_id,
                        module_code=code,
                        is_enabled=on,
                        changed_at=now,
                        changed_by_id=user_id,
                    )
                )
            else:
                row.is_enabled = on
                row.changed_at = now
                row.changed_by_id = user_id
        if change.changed:
            audit.record(
                db,
                f"module.{change.action}",
                target=change.module,
                actor=db.get(User, user_id) if user_id else None,
                platform_id=change.platform_id,
                changed=change.changed,
                cascaded=change.cascaded,
            )
            bump_revision(db)
        db.commit()
        logger.info(
            "module %s %sd on platform %s (changed: %s)",
            change.module,
            change.action,
            change.platform_id,
            ", ".join(change.changed) or "nothing",
        )

    def _require_module(self, code: str):
        module = registry.get_module(code)
        if module is None:
            known = ", ".join(sorted(registry.MODULES))
            raise UnknownModuleError(f"unknown module {code!r}; known modules: {known}")
        return module

    def _require_platform(self, db: Session, platform_id: int) -> None:
        if db.get(Platform, platform_id) is None:
            raise NotFoundError(f"platform {platform_id} does not exist")


module_service = ModuleService()
