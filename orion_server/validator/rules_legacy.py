"""Domain code kept outside modules, where the old layout had it: MOD-016..MOD-019."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from orion_server.validator.findings import Finding
from orion_server.validator.rules import make_finding
from orion_server.validator.tree import parse_file, python_files_under, relative_to_root

LEGACY_FOLDERS: dict[str, tuple[tuple[str, str], ...]] = {
    "MOD-016": (("app/api/v1", "routes"), ("orion_server/routes/api", "routes")),
    "MOD-017": (("app/services", "services"), ("orion_server/services", "services")),
    "MOD-018": (("app/tasks", "tasks"), ("orion_server/tasks", "tasks")),
    "MOD-019": (("models/schema", "schemas"), ("app/models/schema", "schemas")),
}
"""Rule -> (legacy folder relative to the root, the module folder its code belongs in)."""

SHOWN_FILES = 3


def check(tree_root: Path) -> Iterator[Finding]:
    for rule, folders in LEGACY_FOLDERS.items():
        for relative, target in folders:
            folder = tree_root / relative
            files = sorted(path for path in python_files_under(folder) if _has_code(path))
            if not files:
                continue
            names = ", ".join(p.relative_to(folder).as_posix() for p in files[:SHOWN_FILES])
            more = len(files) - SHOWN_FILES
            if more > 0:
                names += f" and {more} more"
            yield make_finding(
                rule,
                relative_to_root(tree_root, folder),
                1,
                f"{relative}/ holds domain code ({names}); move it to modules/<pkg>/{target}/",
            )


def _has_code(path: Path) -> bool:
    """False for an ``__init__.py`` that is empty or only a docstring."""
    if path.name != "__init__.py":
        return True
    tree = parse_file(path)
    if tree is None:
        return True
    return any(
        not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant))
        for node in tree.body
    )
