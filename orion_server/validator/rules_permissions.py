"""Permissions a module uses are declared where it can rely on them: ORION-105."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from orion_server.validator.findings import Finding
from orion_server.validator.rules import make_finding
from orion_server.validator.tree import ModuleSource, Tree

PERMISSION_CALLS = {"require_permission", "StaffWith"}
"""Functions whose first (literal) argument is a permission id (orion_server.deps)."""


def check(tree: Tree) -> Iterator[Finding]:
    for module in tree.defined:
        assert module.definition is not None
        declared = set(module.definition.permission_ids())
        for other in tree.required_closure(module):
            assert other.definition is not None
            declared |= other.definition.permission_ids()
        for permission, path, line in _used(module):
            if permission in declared:
                continue
            yield make_finding(
                "ORION-105",
                module.rel(path),
                line,
                f"module {module.code} uses permission {permission!r}, which neither it nor "
                "any module it requires declares",
            )


def _used(module: ModuleSource) -> Iterator[tuple[str, Path, int]]:
    """``(permission, file, line)`` of every permission the module's menus and code use."""
    assert module.definition is not None
    for item in module.definition.menu_items:
        if item.permission:
            yield item.permission, module.definition_file, item.line
    for path in module.python_files:
        tree = module.parse(path)
        if tree is None:
            continue
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            if name not in PERMISSION_CALLS:
                continue
            given = [k.value for k in node.keywords if k.arg == "permission"]
            argument = node.args[0] if node.args else (given[0] if given else None)
            if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                yield argument.value, path, node.lineno
