"""Imports: a module's of other modules (ORION-101, ORION-102), the framework's and the console's
of any module (ORION-109)."""

from __future__ import annotations

from collections.abc import Iterator

from orion_server.validator.findings import Finding
from orion_server.validator.rules import make_finding
from orion_server.validator.tree import (
    BUILTIN_PACKAGE,
    SKIPPED_DIRS,
    ModuleSource,
    Tree,
    imports_of,
    parse_file,
)

OPEN_MODULES = {f"{BUILTIN_PACKAGE}.contracts"}
"""Import roots every module may use without listing them in ``requires``."""

FRAMEWORK_PACKAGES = ("orion_server", "orion_desktop")
"""The framework and the console: they reach modules only through ``modules.contracts``."""
FRAMEWORK_EXEMPT = ("orion_server/validator/", "orion_server/testing/")
"""The validator only reads modules' source; the test factories build a test's world (a store
with products, an order) through the modules' own services, as a test of a module would."""


def check(tree: Tree) -> Iterator[Finding]:
    for module in tree.defined:
        yield from _cross_module_imports(tree, module)
    yield from _framework_imports(tree)


# ORION-109 -------------------------------------------------------------------------------


def _framework_imports(tree: Tree) -> Iterator[Finding]:
    for package in FRAMEWORK_PACKAGES:
        folder = tree.root / package
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*.py")):
            rel = path.relative_to(tree.root).as_posix()
            if any(part in SKIPPED_DIRS for part in path.parts) or rel.startswith(FRAMEWORK_EXEMPT):
                continue
            parsed = parse_file(path)
            if parsed is None:
                continue
            dotted_package = ".".join(path.relative_to(tree.root).with_suffix("").parts[:-1])
            seen: set[int] = set()
            for ref in imports_of(parsed, dotted_package):
                parts = ref.dotted.split(".")
                if parts[0] != BUILTIN_PACKAGE or len(parts) < 2 or ref.line in seen:
                    continue
                if f"{BUILTIN_PACKAGE}.{parts[1]}" in OPEN_MODULES:
                    continue
                seen.add(ref.line)
                yield make_finding(
                    "ORION-109",
                    rel,
                    ref.line,
                    f"{package} imports {BUILTIN_PACKAGE}.{parts[1]}: the framework and the console reach "
                    "modules only through modules.contracts (or move the code into the framework)",
                )


# ORION-101 / ORION-102 -------------------------------------------------------------------


def _cross_module_imports(tree: Tree, module: ModuleSource) -> Iterator[Finding]:
    assert module.definition is not None
    requires = set(module.definition.requires)
    for path in module.python_files:
        seen: set[tuple[int, str]] = set()
        for ref in module.imports(path):
            prefix, target = tree.module_of_import(ref.dotted)
            if prefix is None or prefix == module.import_prefix or prefix in OPEN_MODULES:
                continue
            if target is module:
                continue
            if (ref.line, prefix) in seen:
                continue
            seen.add((ref.line, prefix))
            where = module.rel(path)
            if target is None:
                yield make_finding(
                    "ORION-101",
                    where,
                    ref.line,
                    f"module {module.code} imports {prefix}, which is no module of this tree",
                )
            elif module.is_core and not target.is_core:
                yield make_finding(
                    "ORION-102",
                    where,
                    ref.line,
                    f"core module {module.code} imports {target.tier} module {target.code} "
                    f"({prefix}); use a protocol from modules.contracts or a context provider",
                )
            elif target.code not in requires:
                yield make_finding(
                    "ORION-101",
                    where,
                    ref.line,
                    f"module {module.code} imports module {target.code} ({prefix}) "
                    f"but does not list {target.code!r} in requires",
                )
