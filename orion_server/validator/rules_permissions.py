"""Permissions: those a module uses are declared where it can rely on them (ORION-105), every
declared one guards something (ORION-111), every store route names one (ORION-112)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from orion_server.validator.findings import Finding
from orion_server.validator.rules import make_finding
from orion_server.validator.tree import ModuleSource, Tree, names_in, parse_file

PERMISSION_CALLS = {"require_permission", "StaffWith", "require_admin_permission", "AdminWith"}
"""Functions whose first (literal) argument is a permission id (orion_server.deps)."""


def check(tree: Tree) -> Iterator[Finding]:
    yield from check_declared(tree)
    yield from check_unguarded(tree)
    yield from check_store_routes(tree)


def check_declared(tree: Tree) -> Iterator[Finding]:
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


# -- ORION-111: every declared permission guards something ------------------------------------

FRAMEWORK_FOLDER = "orion_server"
ROLE_TABLES = {"store_roles.py"}
"""Framework files that list permissions to grant them (the built-in roles), not to check them."""


def _string_constants(tree: ast.AST) -> Iterator[str]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.value


def check_unguarded(tree: Tree) -> Iterator[Finding]:
    """A permission counts as checked when its id is written in code outside any definition.py:
    a ``StaffWith``/``AdminWith`` argument, a ``can(...)`` call, a table a service checks."""
    written: set[str] = set()
    for module in tree.defined:
        for path in module.python_files:
            if path == module.definition_file:
                continue
            parsed = module.parse(path)
            if parsed is not None:
                written.update(_string_constants(parsed))
    framework = tree.root / FRAMEWORK_FOLDER
    if framework.is_dir():
        for path in sorted(framework.rglob("*.py")):
            if path.name in ROLE_TABLES:
                continue
            parsed = parse_file(path)
            if parsed is not None:
                written.update(_string_constants(parsed))
    for module in tree.defined:
        assert module.definition is not None
        for entry in module.definition.permissions:
            if entry.id and entry.id not in written:
                yield make_finding(
                    "ORION-111",
                    module.rel(module.definition_file),
                    entry.line,
                    f"module {module.code} declares permission {entry.id!r}, which no route or "
                    "service checks: guard something with it or remove it",
                )


# -- ORION-112: every store route says who may open it ----------------------------------------

ROUTE_METHODS = {"get", "post", "put", "patch", "delete"}
STORE_PATH_PREFIX = "/{store_code}"
SIGNED_IN_NAMES = {"CurrentStaff", "CurrentUser", "OptionalUser", "get_staff", "get_current_user"}
"""Annotations that read the signed-in user without saying which permission they need."""


def _route_path(function: ast.FunctionDef | ast.AsyncFunctionDef) -> str | None:
    for decorator in function.decorator_list:
        if (
            isinstance(decorator, ast.Call)
            and isinstance(decorator.func, ast.Attribute)
            and decorator.func.attr in ROUTE_METHODS
            and decorator.args
            and isinstance(decorator.args[0], ast.Constant)
            and isinstance(decorator.args[0].value, str)
        ):
            return decorator.args[0].value
    return None


def check_store_routes(tree: Tree) -> Iterator[Finding]:
    """A store route (path ``/{store_code}...``) that reads the signed-in user must name a
    permission (``StaffWith("...")``) or say it is open to every member (``AnyMember``); a route
    that reads no user at all (sign-in, a reset or invitation link) is open by design."""
    for module in tree.defined:
        for path in module.python_files_in("routes"):
            parsed = module.parse(path)
            if parsed is None:
                continue
            for node in ast.walk(parsed):
                if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                route = _route_path(node)
                if route is None or not route.startswith(STORE_PATH_PREFIX):
                    continue
                arguments = [*node.args.args, *node.args.kwonlyargs]
                names: set[str] = set()
                for argument in arguments:
                    names |= names_in(argument.annotation)
                for default in [*node.args.defaults, *node.args.kw_defaults]:
                    names |= names_in(default)
                if names & {"StaffWith", "require_permission", "AnyMember"}:
                    continue
                if names & SIGNED_IN_NAMES:
                    yield make_finding(
                        "ORION-112",
                        module.rel(path),
                        node.lineno,
                        f"store route {route!r} ({node.name}) reads the signed-in member but asks "
                        "for no permission: use StaffWith(\"...\"), or AnyMember where every member "
                        "may open it",
                    )
