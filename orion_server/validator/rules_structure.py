"""Folder and file layout of each module: MOD-001..003, MOD-007..009, MOD-011, MOD-013..015."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

from orion_server.validator.findings import Finding
from orion_server.validator.rules import make_finding
from orion_server.validator.tree import ModuleSource, Tree, holds_files, module_level_names

LOCALES = "locales"
MIGRATIONS = "migrations/versions"
PACKAGES = ("services", "models", "schemas", "routes", "routes/api", "routes/pages")
"""Folders that are Python packages when they hold files (empty scaffolds are not demanded)."""


def check(tree: Tree) -> Iterator[Finding]:
    for module in tree.modules:
        if module.definition is None:
            yield from _definition_problems(module)
            continue
        reported: set[Path] = set()
        yield from _required(module, reported)
        yield from _code_matches_folder(module)
        yield from _reexports_only(module, "services", "MOD-002")
        yield from _reexports_only(module, "schemas", "MOD-003")
        yield from _exception_classes(module)
        yield from _tasks(module)
        yield from _config(module)
        yield from _migrations(module)


def locales_folder(module: ModuleSource) -> Path:
    """The module's locales folder."""
    return module.folder / LOCALES


# MOD-009 ---------------------------------------------------------------------------------


def _definition_problems(module: ModuleSource) -> Iterator[Finding]:
    path = module.definition_file
    if module.definition_error is None:
        yield make_finding(
            "MOD-009",
            module.rel(path),
            1,
            f"module folder {module.package}/ has no definition.py, so discovery skips it",
        )
    else:
        yield make_finding(
            "MOD-009", module.rel(path), module.definition_error.line, str(module.definition_error)
        )


# MOD-001 ---------------------------------------------------------------------------------


def _required(module: ModuleSource, reported: set[Path]) -> Iterator[Finding]:
    folder = module.folder

    def missing(path: Path, what: str) -> Finding:
        reported.add(path)
        return make_finding("MOD-001", module.rel(path), 1, f"module {module.code} has no {what}")

    if not (folder / "__init__.py").is_file():
        yield missing(folder / "__init__.py", "__init__.py")
    # A module with business logic names its errors; one that only routes to the framework's
    # services (tenancy) needs no empty exceptions file.
    if holds_files(folder / "services") and not (folder / "exceptions.py").is_file():
        yield missing(folder / "exceptions.py", "exceptions.py (its services raise their own errors)")
    locales = locales_folder(module)
    if not locales.is_dir():
        yield missing(locales, f"{LOCALES}/ folder")
    for sub in PACKAGES:
        package = folder / sub
        if not (package / "__init__.py").is_file() and holds_files(package):
            yield missing(package / "__init__.py", f"{sub}/__init__.py")


# MOD-007 ---------------------------------------------------------------------------------


def _code_matches_folder(module: ModuleSource) -> Iterator[Finding]:
    definition = module.definition
    assert definition is not None
    code = definition.code
    if code and code.replace("-", "_") != module.package:
        yield make_finding(
            "MOD-007",
            module.rel(module.definition_file),
            definition.line_of("code"),
            f"code {code!r} does not match its folder {module.package}/ "
            f"(expected folder {code.replace('-', '_')}/)",
        )


# MOD-002 / MOD-003 -----------------------------------------------------------------------

_EMPTY, _REEXPORT, _CODE = "empty", "re-export", "code"


def _is_dunder_all(node: ast.stmt) -> bool:
    targets: list[ast.expr] = []
    if isinstance(node, ast.Assign):
        targets = node.targets
    elif isinstance(node, ast.AnnAssign | ast.AugAssign):
        targets = [node.target]
    return bool(targets) and all(isinstance(t, ast.Name) and t.id == "__all__" for t in targets)


def _classify(statements: list[ast.stmt]) -> tuple[str, int]:
    """``(kind, first import line)`` of a block: empty, re-export only, or real code."""
    kind, first = _EMPTY, 0
    for node in statements:
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            continue  # docstring
        if isinstance(node, ast.Pass) or _is_dunder_all(node):
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            kind, first = _REEXPORT, first or node.lineno
            continue
        if isinstance(node, ast.If | ast.Try):
            inner: list[ast.stmt] = [*node.body, *node.orelse]
            if isinstance(node, ast.Try):
                inner += node.finalbody
                for handler in node.handlers:
                    inner += handler.body
            sub_kind, sub_first = _classify(inner)
            if sub_kind == _CODE:
                return _CODE, 0
            if sub_kind == _REEXPORT:
                kind, first = _REEXPORT, first or sub_first
            continue
        return _CODE, 0
    return kind, first


def _reexports_only(module: ModuleSource, sub: str, rule: str) -> Iterator[Finding]:
    files = module.python_files_in(sub)
    if not files:
        return
    reexports: list[tuple[Path, int]] = []
    for path in sorted(files, key=lambda p: (p.name != "__init__.py", p)):
        tree = module.parse(path)
        if tree is None:
            return  # unreadable: nothing to say about it here
        kind, first = _classify(tree.body)
        if kind == _CODE:
            return
        if kind == _REEXPORT:
            reexports.append((path, first))
    if reexports:
        path, line = reexports[0]
        yield make_finding(
            rule,
            module.rel(path),
            line,
            f"{sub}/ of module {module.code} only re-exports names; put the {sub} code in the "
            f"module's own {sub}/ files",
        )


# MOD-008 ---------------------------------------------------------------------------------


def _exception_classes(module: ModuleSource) -> Iterator[Finding]:
    path = module.folder / "exceptions.py"
    if not path.is_file():
        return
    tree = module.parse(path)
    if tree is None:
        return
    if any(isinstance(node, ast.ClassDef) for node in ast.walk(tree)):
        return
    yield make_finding(
        "MOD-008",
        module.rel(path),
        1,
        f"exceptions.py of module {module.code} defines no exception class",
    )


# MOD-011 / MOD-013 -----------------------------------------------------------------------


def _tasks(module: ModuleSource) -> Iterator[Finding]:
    tasks = module.folder / "tasks"
    if holds_files(tasks) and not (tasks / "__init__.py").is_file():
        yield make_finding(
            "MOD-011",
            module.rel(tasks / "__init__.py"),
            1,
            "tasks/ has no __init__.py, so huey never imports the module's tasks",
        )


def _config(module: ModuleSource) -> Iterator[Finding]:
    path = module.folder / "config.py"
    if not path.is_file():
        return
    tree = module.parse(path)
    if tree is None:
        return
    names = module_level_names(tree)
    if "config" not in names and "config_class" not in names:
        yield make_finding(
            "MOD-013",
            module.rel(path),
            1,
            "config.py exports neither config nor config_class, so discovery ignores it",
        )


# MOD-014 / MOD-015 -----------------------------------------------------------------------


def _migrations(module: ModuleSource) -> Iterator[Finding]:
    versions = module.folder / MIGRATIONS
    chain: list[Path] = []
    current = versions
    while current != module.folder and module.folder in current.parents:
        chain.append(current)
        current = current.parent
    for folder in reversed(chain):
        if holds_files(folder) and not (folder / "__init__.py").is_file():
            yield make_finding(
                "MOD-015",
                module.rel(folder / "__init__.py"),
                1,
                f"{folder.relative_to(module.folder).as_posix()}/ has no __init__.py",
            )
    if not versions.is_dir():
        return
    pattern = re.compile(rf"^{re.escape(module.package)}_\d{{3}}_[a-z0-9_]+\.py$")
    for path in sorted(versions.glob("*.py")):
        if path.name == "__init__.py" or pattern.match(path.name):
            continue
        yield make_finding(
            "MOD-014",
            module.rel(path),
            1,
            f"migration {path.name} is not named {module.package}_NNN_<what>.py",
        )
