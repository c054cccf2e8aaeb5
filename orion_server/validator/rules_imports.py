"""Imports of each module's Python files: ORION-101, ORION-102."""

from __future__ import annotations

from collections.abc import Iterator

from orion_server.validator.findings import Finding
from orion_server.validator.rules import make_finding
from orion_server.validator.tree import BUILTIN_PACKAGE, ModuleSource, Tree

OPEN_MODULES = {f"{BUILTIN_PACKAGE}.contracts"}
"""Import roots every module may use without listing them in ``requires``."""

def check(tree: Tree) -> Iterator[Finding]:
    for module in tree.defined:
        yield from _cross_module_imports(tree, module)


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
