"""What belongs where, and the wiring a definition names: MOD-016..MOD-019, ORION-110."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from orion_server.validator.definitions import UNKNOWN
from orion_server.validator.findings import Finding
from orion_server.validator.rules import make_finding
from orion_server.validator.tree import (
    ModuleSource,
    Tree,
    module_level_names,
    parse_file,
    python_files_under,
    relative_to_root,
)

FRAMEWORK = "orion_server"
FRAMEWORK_ROUTERS = {"orion_server/health.py"}
"""Framework files that may declare an APIRouter (health and readiness, outside any module)."""
FRAMEWORK_TASKS = {"orion_server/event_tasks.py", "orion_server/log_tasks.py"}
"""Framework files that may declare huey tasks (delivering the event outbox, keeping the logs in
their retention)."""
TASK_DECORATORS = {"task", "periodic_task", "on_startup"}
"""Attributes of ``huey`` that register a task or a consumer hook."""


def check(tree: Tree) -> Iterator[Finding]:
    yield from _framework_routers(tree.root)
    yield from _framework_tasks(tree.root)
    for module in tree.defined:
        yield from _imports_of_other_routes(tree, module)
        yield from _module_tasks(module)
        yield from _schemas_outside_schemas(module)
        yield from _targets(module)


def _is_call_of(node: ast.AST, name: str) -> bool:
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    return (isinstance(func, ast.Name) and func.id == name) or (
        isinstance(func, ast.Attribute) and func.attr == name
    )


# MOD-016 ---------------------------------------------------------------------------------


def _framework_routers(root: Path) -> Iterator[Finding]:
    for path in sorted(python_files_under(root / FRAMEWORK)):
        where = relative_to_root(root, path)
        if where in FRAMEWORK_ROUTERS:
            continue
        tree = parse_file(path)
        if tree is None:
            continue
        for node in ast.walk(tree):
            if _is_call_of(node, "APIRouter") or _is_call_of(node, "ModuleRouter"):
                yield make_finding(
                    "MOD-016",
                    where,
                    node.lineno,
                    "the framework declares a router; HTTP routes belong in a module's "
                    "routes/api or routes/pages",
                )


# MOD-017 ---------------------------------------------------------------------------------


def _imports_of_other_routes(tree: Tree, module: ModuleSource) -> Iterator[Finding]:
    for path in module.python_files:
        seen: set[int] = set()
        for ref in module.imports(path):
            prefix, target = tree.module_of_import(ref.dotted)
            if prefix is None or target is None or target is module or ref.line in seen:
                continue
            rest = ref.dotted[len(prefix) :].lstrip(".")
            if rest != "routes" and not rest.startswith("routes."):
                continue
            seen.add(ref.line)
            yield make_finding(
                "MOD-017",
                module.rel(path),
                ref.line,
                f"module {module.code} imports {ref.dotted}, a route file of module "
                f"{target.code}; call its services, deps or a contract instead",
            )


# MOD-018 ---------------------------------------------------------------------------------


def _task_decorators(tree: ast.Module) -> Iterator[tuple[int, str]]:
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for decorator in node.decorator_list:
            target = decorator.func if isinstance(decorator, ast.Call) else decorator
            if (
                isinstance(target, ast.Attribute)
                and target.attr in TASK_DECORATORS
                and isinstance(target.value, ast.Name)
                and target.value.id == "huey"
            ):
                yield decorator.lineno, node.name


def _module_tasks(module: ModuleSource) -> Iterator[Finding]:
    tasks = module.folder / "tasks"
    for path in module.python_files:
        if path == tasks or tasks in path.parents:
            continue
        tree = module.parse(path)
        if tree is None:
            continue
        for line, name in _task_decorators(tree):
            yield make_finding(
                "MOD-018",
                module.rel(path),
                line,
                f"task {name} is declared outside tasks/, so the consumer may never import it; "
                f"move it to {module.package}/tasks/",
            )


def _framework_tasks(root: Path) -> Iterator[Finding]:
    for path in sorted(python_files_under(root / FRAMEWORK)):
        where = relative_to_root(root, path)
        if where in FRAMEWORK_TASKS:
            continue
        tree = parse_file(path)
        if tree is None:
            continue
        for line, name in _task_decorators(tree):
            yield make_finding(
                "MOD-018",
                where,
                line,
                f"the framework declares task {name}; domain tasks belong in a module's tasks/",
            )


# MOD-019 ---------------------------------------------------------------------------------


def _schemas_outside_schemas(module: ModuleSource) -> Iterator[Finding]:
    schemas = module.folder / "schemas"
    for path in module.python_files:
        if path == schemas or schemas in path.parents:
            continue
        tree = module.parse(path)
        if tree is None:
            continue
        for node in ast.walk(tree):
            if not isinstance(node, ast.ClassDef):
                continue
            bases = {b.id if isinstance(b, ast.Name) else getattr(b, "attr", "") for b in node.bases}
            if "BaseModel" in bases:
                yield make_finding(
                    "MOD-019",
                    module.rel(path),
                    node.lineno,
                    f"schema {node.name} is declared outside schemas/; request and response "
                    f"models of module {module.code} live in {module.package}/schemas/",
                )


# ORION-110 -------------------------------------------------------------------------------


def _target_problem(module: ModuleSource, value: object) -> str | None:
    """Why ``value`` names nothing in the module, or None when it resolves."""
    if value is UNKNOWN or not isinstance(value, str):
        return "is not a string '.file:attribute'"
    if not value.startswith(".") or value.count(":") != 1:
        return f"{value!r} is not of the form '.file:attribute' (relative to the module)"
    dotted, attribute = value.split(":")
    parts = [p for p in dotted.split(".") if p]
    base = module.folder.joinpath(*parts) if parts else module.folder
    candidates = [base.with_suffix(".py"), base / "__init__.py"] if parts else [base / "__init__.py"]
    path = next((c for c in candidates if c.is_file()), None)
    if path is None:
        return f"{value!r}: the module has no {'/'.join(parts) or '__init__'}.py"
    tree = module.parse(path)
    if tree is None:
        return f"{value!r}: {module.rel(path)} does not parse"
    if attribute not in module_level_names(tree):
        return f"{value!r}: {module.rel(path)} defines no {attribute}"
    return None


def _targets(module: ModuleSource) -> Iterator[Finding]:
    definition = module.definition
    assert definition is not None
    for entry in definition.targets:
        problem = _target_problem(module, entry.value)
        if problem:
            yield make_finding(
                "ORION-110",
                module.rel(module.definition_file),
                entry.line,
                f"{entry.where} of module {module.code} does not resolve: {problem}",
            )
