"""The registry of discovered modules, in dependency order.

``MODULES`` is filled on first import; ``reload_registry()`` fills it again in place (tests,
a changed ORION_MODULE_PATHS), so references held elsewhere stay valid.
"""

from __future__ import annotations

import os
from pathlib import Path

from orion_server.modules.base import ModuleDefinition
from orion_server.modules.discovery import discover_modules
from orion_server.modules.enums import ModuleTier


class ModuleGraphError(RuntimeError):
    """The modules' dependency graph cannot be used; the message says why in one line."""


MODULES: dict[str, ModuleDefinition] = {}
CORE_MODULES: dict[str, ModuleDefinition] = {}
OPTIONAL_MODULES: dict[str, ModuleDefinition] = {}
INTERNAL_MODULES: dict[str, ModuleDefinition] = {}


def order_modules(definitions: list[ModuleDefinition]) -> list[ModuleDefinition]:
    """Check the graph and return the modules so that each comes after what it requires."""
    by_code: dict[str, ModuleDefinition] = {}
    for definition in definitions:
        if definition.code in by_code:
            raise ModuleGraphError(
                f"duplicate module code {definition.code!r} "
                f"({by_code[definition.code].package} and {definition.package})"
            )
        by_code[definition.code] = definition
    for definition in definitions:
        for required in definition.requires:
            if required not in by_code:
                raise ModuleGraphError(
                    f"module {definition.code!r} requires unknown module {required!r}"
                )
            if definition.is_core and not by_code[required].is_core:
                raise ModuleGraphError(
                    f"core module {definition.code!r} requires non-core module {required!r}"
                )
    ordered: list[ModuleDefinition] = []
    done: set[str] = set()
    visiting: list[str] = []

    def visit(code: str) -> None:
        if code in done:
            return
        if code in visiting:
            cycle = visiting[visiting.index(code) :] + [code]
            raise ModuleGraphError("module dependency cycle: " + " -> ".join(cycle))
        visiting.append(code)
        for required in sorted(by_code[code].requires):
            visit(required)
        visiting.pop()
        done.add(code)
        ordered.append(by_code[code])

    for code in sorted(by_code):
        visit(code)
    return ordered


def _extra_paths() -> list[Path]:
    raw = os.environ.get("ORION_MODULE_PATHS", "")
    return [Path(p) for p in raw.split(os.pathsep) if p.strip()]


def reload_registry(extra_paths: list[Path] | None = None) -> dict[str, ModuleDefinition]:
    """Discover the modules again and refill the registry dictionaries in place."""
    ordered = order_modules(discover_modules(_extra_paths() if extra_paths is None else extra_paths))
    for target in (MODULES, CORE_MODULES, OPTIONAL_MODULES, INTERNAL_MODULES):
        target.clear()
    for definition in ordered:
        MODULES[definition.code] = definition
        {
            ModuleTier.CORE: CORE_MODULES,
            ModuleTier.OPTIONAL: OPTIONAL_MODULES,
            ModuleTier.INTERNAL: INTERNAL_MODULES,
        }[definition.tier][definition.code] = definition
    from orion_server.modules import hooks

    hooks.registry_reloaded()
    return MODULES


def get_module(code: str) -> ModuleDefinition | None:
    """The module with this code, or None."""
    return MODULES.get(code)


def get_core_module_codes() -> set[str]:
    """Codes of the modules that are always on."""
    return set(CORE_MODULES)


def get_module_tier(code: str) -> str | None:
    """``core``, ``optional`` or ``internal`` for a known code, else None."""
    module = MODULES.get(code)
    return module.tier.value if module else None


def dependents_of(code: str) -> list[str]:
    """Codes of every module that requires ``code``, directly or not, in dependency order."""
    result: list[str] = []
    for definition in MODULES.values():
        if any(req == code or req in result for req in definition.requires):
            result.append(definition.code)
    return result


def requirements_of(code: str) -> list[str]:
    """Codes of every module ``code`` requires, directly or not, in dependency order."""
    needed: set[str] = set()
    stack = list(MODULES[code].requires)
    while stack:
        current = stack.pop()
        if current not in needed:
            needed.add(current)
            stack.extend(MODULES[current].requires)
    return [c for c in MODULES if c in needed]


reload_registry()
