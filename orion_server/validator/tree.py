"""The tree being validated: its module folders, their definitions and their Python files."""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from orion_server.validator.definitions import Definition, DefinitionError, read_definition

BUILTIN_PACKAGE = "modules"
SKIPPED_DIRS = {"__pycache__", "node_modules"}


@dataclass(frozen=True)
class ImportRef:
    """One name an import statement refers to, resolved to an absolute dotted path."""

    dotted: str
    line: int
    statement: ast.stmt


@dataclass
class ModuleSource:
    """One module folder on disk."""

    folder: Path
    root: Path
    builtin: bool
    """True under ``root/modules``; False in an extra path (imported as a top-level package)."""
    definition: Definition | None = None
    definition_error: DefinitionError | None = None
    _asts: dict[Path, ast.Module | None] = field(default_factory=dict, repr=False)

    @property
    def package(self) -> str:
        """Folder name, which is also the Python package name."""
        return self.folder.name

    @property
    def import_prefix(self) -> str:
        """Dotted name the module is imported under."""
        return f"{BUILTIN_PACKAGE}.{self.package}" if self.builtin else self.package

    @property
    def code(self) -> str:
        """Code from the definition, or derived from the folder when it has none."""
        if self.definition is not None and self.definition.code:
            return self.definition.code
        return self.package.replace("_", "-")

    @property
    def is_core(self) -> bool:
        return self.definition is not None and self.definition.is_core

    @property
    def is_internal(self) -> bool:
        return self.definition is not None and self.definition.is_internal

    @property
    def tier(self) -> str:
        if self.is_core:
            return "core"
        return "internal" if self.is_internal else "optional"

    def rel(self, path: Path) -> str:
        """``path`` as reported in findings: relative to the root where possible."""
        return relative_to_root(self.root, path)

    @property
    def definition_file(self) -> Path:
        return self.folder / "definition.py"

    @cached_property
    def python_files(self) -> list[Path]:
        """Every .py file of the module, sorted, without caches and hidden folders."""
        return sorted(python_files_under(self.folder))

    def python_files_in(self, relative: str) -> list[Path]:
        """The module's .py files under the sub-folder ``relative``."""
        base = self.folder / relative
        return [path for path in self.python_files if path == base or base in path.parents]

    def parse(self, path: Path) -> ast.Module | None:
        """Syntax tree of one of the module's files; None when it does not parse."""
        if path not in self._asts:
            self._asts[path] = parse_file(path)
        return self._asts[path]

    def dotted_name(self, path: Path) -> tuple[str, bool]:
        """``(dotted module name, is_package)`` of one of the module's .py files."""
        parts = list(path.relative_to(self.folder).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts = parts[:-1]
        return ".".join([self.import_prefix, *parts]), is_package

    def imports(self, path: Path) -> list[ImportRef]:
        """Every name imported by one file, anywhere in it (functions too), made absolute."""
        tree = self.parse(path)
        if tree is None:
            return []
        dotted, is_package = self.dotted_name(path)
        package = dotted if is_package else dotted.rpartition(".")[0]
        return list(imports_of(tree, package))


def relative_to_root(root: Path, path: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.resolve().as_posix()


def holds_files(folder: Path) -> bool:
    """Whether ``folder`` holds any file (an empty folder does not exist for git)."""
    if not folder.is_dir():
        return False
    return any(
        path.is_file() and not any(part in SKIPPED_DIRS for part in path.parts)
        for path in folder.rglob("*")
    )


def python_files_under(folder: Path) -> Iterator[Path]:
    if not folder.is_dir():
        return
    for path in folder.rglob("*.py"):
        relative = path.relative_to(folder).parts
        if any(part in SKIPPED_DIRS or part.startswith(".") for part in relative[:-1]):
            continue
        if path.is_file():
            yield path


def parse_file(path: Path) -> ast.Module | None:
    try:
        return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    except (SyntaxError, ValueError, OSError, UnicodeDecodeError):
        return None


def resolve_relative(package: str, level: int, module: str | None) -> str | None:
    """Absolute dotted base of ``from <level dots><module> import ...`` inside ``package``."""
    parts = package.split(".") if package else []
    if level - 1 > len(parts) - 1:
        return None
    base = parts[: len(parts) - (level - 1)]
    if module:
        base.append(module)
    return ".".join(base) or None


def imports_of(tree: ast.AST, package: str) -> Iterator[ImportRef]:
    """Absolute dotted names referred to by each import in ``tree``.

    ``from a.b import c`` yields ``a.b`` and ``a.b.c`` (``c`` may be a sub-module).
    """
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield ImportRef(alias.name, node.lineno, node)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = resolve_relative(package, node.level, node.module)
            else:
                base = node.module
            if not base:
                continue
            yield ImportRef(base, node.lineno, node)
            for alias in node.names:
                if alias.name != "*":
                    yield ImportRef(f"{base}.{alias.name}", node.lineno, node)


def names_in(node: ast.AST | None) -> set[str]:
    """Every name and attribute name under ``node`` (``StaffWith("x")`` -> ``{"StaffWith"}``)."""
    if node is None:
        return set()
    return {n.id if isinstance(n, ast.Name) else n.attr for n in ast.walk(node)
            if isinstance(n, ast.Name | ast.Attribute)}


def module_level_names(tree: ast.Module) -> dict[str, int]:
    """Names bound at module level (assignments, imports, defs), with their first line."""
    names: dict[str, int] = {}

    def bind(name: str, line: int) -> None:
        names.setdefault(name, line)

    def visit(statements: Iterable[ast.stmt]) -> None:
        for node in statements:
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    for sub in ast.walk(target):
                        if isinstance(sub, ast.Name):
                            bind(sub.id, node.lineno)
            elif isinstance(node, ast.AnnAssign | ast.AugAssign):
                if isinstance(node.target, ast.Name):
                    bind(node.target.id, node.lineno)
            elif isinstance(node, ast.Import | ast.ImportFrom):
                for alias in node.names:
                    bind((alias.asname or alias.name).split(".")[0], node.lineno)
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                bind(node.name, node.lineno)
            elif isinstance(node, ast.If | ast.Try | ast.With):
                visit(node.body)
                visit(getattr(node, "orelse", []))
                visit(getattr(node, "finalbody", []))
                for handler in getattr(node, "handlers", []):
                    visit(handler.body)

    visit(tree.body)
    return names


@dataclass
class Tree:
    """The root being validated and every module folder found in it."""

    root: Path
    modules: list[ModuleSource]

    @cached_property
    def defined(self) -> list[ModuleSource]:
        """Modules whose definition could be read."""
        return [m for m in self.modules if m.definition is not None]

    @cached_property
    def by_code(self) -> dict[str, ModuleSource]:
        """First module with each code."""
        found: dict[str, ModuleSource] = {}
        for module in self.defined:
            found.setdefault(module.code, module)
        return found

    @cached_property
    def by_import_root(self) -> dict[str, ModuleSource]:
        """``modules.<pkg>`` or ``<pkg>`` (extra paths) -> module."""
        found: dict[str, ModuleSource] = {}
        for module in self.defined:
            found.setdefault(module.import_prefix, module)
        return found

    def module_of_import(self, dotted: str) -> tuple[str | None, ModuleSource | None]:
        """``(import root, module)`` an absolute dotted name points into, if it is a module.

        ``modules.<x>`` always names a module (the module may not exist); a top-level name is
        one only when a module from an extra path has that package name.
        """
        parts = dotted.split(".")
        if parts[0] == BUILTIN_PACKAGE:
            if len(parts) < 2:
                return None, None
            prefix = ".".join(parts[:2])
            return prefix, self.by_import_root.get(prefix)
        module = self.by_import_root.get(parts[0])
        return (parts[0], module) if module is not None and not module.builtin else (None, None)

    def required_closure(self, module: ModuleSource) -> list[ModuleSource]:
        """Modules ``module`` requires, directly or through others (known codes only)."""
        seen: dict[str, ModuleSource] = {}
        pending = list(module.definition.requires if module.definition else [])
        while pending:
            code = pending.pop()
            target = self.by_code.get(code)
            if target is None or code in seen or target is module:
                continue
            seen[code] = target
            pending.extend(target.definition.requires if target.definition else [])
        return list(seen.values())


def is_module_folder(folder: Path) -> bool:
    """A sub-folder that is a module: it has an ``__init__.py`` or a ``definition.py``."""
    if not folder.is_dir() or folder.name.startswith(("_", ".")) or folder.name in SKIPPED_DIRS:
        return False
    return (folder / "__init__.py").is_file() or (folder / "definition.py").is_file()


def scan(root: Path, extra_paths: Iterable[Path] = ()) -> Tree:
    """Find and read every module under ``root/modules`` and in ``extra_paths``."""
    root = Path(root)
    found: list[ModuleSource] = []
    bases = [(root / BUILTIN_PACKAGE, True)] + [(Path(p), False) for p in extra_paths]
    for base, builtin in bases:
        if not base.is_dir():
            continue
        for folder in sorted(base.iterdir()):
            if not is_module_folder(folder):
                continue
            module = ModuleSource(folder=folder, root=root, builtin=builtin)
            if module.definition_file.is_file():
                try:
                    module.definition = read_definition(module.definition_file)
                except DefinitionError as exc:
                    module.definition_error = exc
            found.append(module)
    return Tree(root=root, modules=found)
