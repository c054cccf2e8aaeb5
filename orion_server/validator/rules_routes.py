"""Route files of each module: MOD-004 (thin routes), MOD-005 (UI assets), MOD-010 (exported
router), MOD-023 (every router mounted), ORION-113 (no database work on the event loop)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from orion_server.validator.findings import Finding
from orion_server.validator.rules import make_finding
from orion_server.validator.tree import (
    ModuleSource,
    Tree,
    holds_files,
    module_level_names,
    names_in,
)

ROUTER_NAMES = ("router", "admin_router", "store_router")
"""Names the framework looks for in a route file, in this order (orion_server.modules.routes)."""

MOUNTED_FILES = (
    "routes/api/admin.py",
    "routes/api/store.py",
    "routes/api/storefront.py",
    "routes/pages/admin.py",
    "routes/pages/store.py",
    "routes/pages/storefront.py",
    "routes/pages/platform.py",
)
"""Route files the framework mounts."""

STAFF_ROUTE_FILES = (
    "routes/api/admin.py",
    "routes/api/store.py",
    "routes/pages/admin.py",
    "routes/pages/store.py",
)
"""Route files serving platform admins or store staff (as opposed to shoppers)."""


SESSION_NAMES = {"db", "session"}
"""Names a route gives its database session."""
WRITES = {"add", "add_all", "delete", "commit", "flush", "merge"}
"""Session methods that change data: services call them, routes do not."""


def check(tree: Tree) -> Iterator[Finding]:
    for module in tree.defined:
        yield from _writes_in_routes(module)
        yield from _sessions_on_the_loop(module)
        yield from _ui_assets(module)
        unexported = set()
        for relative in MOUNTED_FILES:
            path = module.folder / relative
            finding = _exported_router(module, path)
            if finding is not None:
                unexported.add(path)
                yield finding
        yield from _unmounted_routers(module, unexported)


def has_staff_routes(module: ModuleSource) -> bool:
    """Whether the module has admin or store route files."""
    return any((module.folder / relative).is_file() for relative in STAFF_ROUTE_FILES)


# MOD-005 ---------------------------------------------------------------------------------


def _writes_in_routes(module: ModuleSource) -> Iterator[Finding]:
    for path in module.python_files_in("routes"):
        tree = module.parse(path)
        if tree is None:
            continue
        for node in ast.walk(tree):
            func = node.func if isinstance(node, ast.Call) else None
            if (
                isinstance(func, ast.Attribute)
                and func.attr in WRITES
                and isinstance(func.value, ast.Name)
                and func.value.id in SESSION_NAMES
            ):
                yield make_finding(
                    "MOD-004",
                    module.rel(path),
                    node.lineno,
                    f"route calls {func.value.id}.{func.attr}(); changing data is a service's "
                    f"work (modules/{module.package}/services/)",
                )


# ORION-113 -------------------------------------------------------------------------------

ROUTE_DECORATORS = {"get", "post", "put", "patch", "delete", "api_route"}
THREAD_HANDOFF = "run_in_threadpool"


def _session_parameters(function: ast.AsyncFunctionDef) -> set[str]:
    """Parameters of ``function`` that hold a database session (annotated ``SessionDep`` or
    ``Session``)."""
    return {argument.arg for argument in [*function.args.args, *function.args.kwonlyargs]
            if names_in(argument.annotation) & {"SessionDep", "Session"}}


def _is_route(function: ast.AsyncFunctionDef) -> bool:
    return any(
        isinstance(d, ast.Call) and isinstance(d.func, ast.Attribute) and d.func.attr in ROUTE_DECORATORS
        for d in function.decorator_list
    )


def _sessions_on_the_loop(module: ModuleSource) -> Iterator[Finding]:
    """An ``async def`` route runs on the event loop, which serves every other request of the
    worker meanwhile: a session used there blocks them all on the database (and, on SQLite,
    on its writer for up to the busy timeout). Routes that touch the database are plain
    ``def`` (read a posted form through ``PostedForm``); an async one hands its session only to
    ``run_in_threadpool(...)``."""
    for path in module.python_files_in("routes"):
        tree = module.parse(path)
        if tree is None:
            continue
        for function in ast.walk(tree):
            if not isinstance(function, ast.AsyncFunctionDef) or not _is_route(function):
                continue
            sessions = _session_parameters(function)
            if not sessions:
                continue
            handed = {
                id(argument)
                for call in ast.walk(function)
                if isinstance(call, ast.Call) and _name_of(call.func) == THREAD_HANDOFF
                for argument in [*call.args, *(k.value for k in call.keywords)]
            }
            for node in ast.walk(function):
                if isinstance(node, ast.Name) and node.id in sessions and id(node) not in handed:
                    yield make_finding(
                        "ORION-113",
                        module.rel(path),
                        node.lineno,
                        f"async route {function.name} uses its database session {node.id!r} on the "
                        "event loop, where it blocks every other request: make the route a plain "
                        f"def (a form comes as PostedForm), or pass {node.id!r} only to "
                        "run_in_threadpool(...)",
                    )
                    break


def _ui_assets(module: ModuleSource) -> Iterator[Finding]:
    assert module.definition is not None
    pages = [p for p in module.python_files_in("routes/pages") if p.name != "__init__.py"]
    if not pages:
        return
    where = module.rel(pages[0])
    templates = module.folder / "templates"
    names = {module.package, module.code}
    if not any(holds_files(templates / name) for name in names):
        relative = templates.relative_to(module.folder).as_posix()
        yield make_finding(
            "MOD-005",
            where,
            1,
            f"module {module.code} has page routes but no templates in "
            f"{relative}/{module.package}/",
        )
    if not holds_files(module.folder / "static"):
        yield make_finding(
            "MOD-005",
            where,
            1,
            f"module {module.code} has page routes but no static/ files",
        )


# MOD-010 ---------------------------------------------------------------------------------


def _exported_router(module: ModuleSource, path: Path) -> Finding | None:
    if not path.is_file():
        return None
    tree = module.parse(path)
    if tree is None:
        return None
    for node in tree.body:
        value = getattr(node, "value", None)
        targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
        if (
            isinstance(node, ast.Assign | ast.AnnAssign)
            and _is_call(value, "APIRouter")
            and any(isinstance(t, ast.Name) and t.id in ROUTER_NAMES for t in targets)
        ):
            return make_finding(
                "MOD-010",
                module.rel(path),
                node.lineno,
                f"{path.relative_to(module.folder).as_posix()} exports a FastAPI APIRouter; the framework "
                "mounts a ModuleRouter (from orion_server.routing import ModuleRouter)",
            )
    if any(name in module_level_names(tree) for name in ROUTER_NAMES):
        return None
    return make_finding(
        "MOD-010",
        module.rel(path),
        1,
        f"{path.relative_to(module.folder).as_posix()} exports no router "
        f"({', '.join(ROUTER_NAMES)}), so the framework cannot mount it",
    )


# MOD-023 ---------------------------------------------------------------------------------


def _is_call(node: ast.AST | None, name: str) -> bool:
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    return (isinstance(func, ast.Name) and func.id == name) or (
        isinstance(func, ast.Attribute) and func.attr == name
    )


def _is_api_router(node: ast.AST | None) -> bool:
    return _is_call(node, "ModuleRouter") or _is_call(node, "APIRouter")


def _router_assignments(tree: ast.Module) -> list[tuple[str, int]]:
    found = []
    for node in tree.body:
        value = getattr(node, "value", None)
        if not isinstance(node, ast.Assign | ast.AnnAssign) or not _is_api_router(value):
            continue
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        for target in targets:
            if isinstance(target, ast.Name):
                found.append((target.id, node.lineno))
    return found


def _name_of(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _mounting_names(module: ModuleSource, files: list[Path]) -> set[str]:
    """Names passed to ``include_router`` or re-bound to an exported name, in any route file."""
    used: set[str] = set()
    aliases: dict[str, set[str]] = {}
    for path in files:
        tree = module.parse(path)
        if tree is None:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _name_of(node.func) == "include_router":
                if node.args and (name := _name_of(node.args[0])):
                    used.add(name)
                for keyword in node.keywords:
                    if keyword.arg == "router" and (name := _name_of(keyword.value)):
                        used.add(name)
            elif isinstance(node, ast.Assign) and (name := _name_of(node.value)):
                if any(isinstance(t, ast.Name) and t.id in ROUTER_NAMES for t in node.targets):
                    used.add(name)
            elif isinstance(node, ast.ImportFrom):
                for alias in node.names:
                    if alias.asname:
                        aliases.setdefault(alias.asname, set()).add(alias.name)
    for name in list(used):
        used |= aliases.get(name, set())
    return used


def _unmounted_routers(module: ModuleSource, unexported: set[Path]) -> Iterator[Finding]:
    files = module.python_files_in("routes")
    used = _mounting_names(module, files)
    mounted = {module.folder / relative for relative in MOUNTED_FILES}
    for path in files:
        if path in unexported:
            continue  # MOD-010 already says the file exports nothing
        tree = module.parse(path)
        if tree is None:
            continue
        assignments = _router_assignments(tree)
        exported = None
        if path in mounted:
            bound = module_level_names(tree)
            exported = next((name for name in ROUTER_NAMES if name in bound), None)
        for name, line in assignments:
            if name == exported or name in used:
                continue
            yield make_finding(
                "MOD-023",
                module.rel(path),
                line,
                f"router {name} is never mounted: export it as one of "
                f"{', '.join(ROUTER_NAMES)} from a mounted route file or include_router it",
            )
