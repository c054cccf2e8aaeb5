"""Read a module's ``definition.py`` from its syntax tree, never by importing it.

Keyword arguments that are literals are evaluated; ``permissions`` and ``menu_items`` are
read element by element (``PermissionDefinition(...)`` / ``MenuItem(...)`` calls whose own
arguments are literals). Anything else is recorded as present but unknown.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

UNKNOWN: Any = object()
"""Value of a keyword that is given but not a literal."""

_PERMISSION_FIELDS = ("id", "label_key", "description_key", "category")
_MENU_FIELDS = ("id", "label_key", "path", "permission", "icon", "order")


@dataclass(frozen=True)
class PermissionEntry:
    """One ``PermissionDefinition(...)`` of a definition."""

    id: str | None
    label_key: str | None
    description_key: str | None
    line: int


@dataclass(frozen=True)
class MenuEntry:
    """One menu item of a definition (a ``MenuItem(...)`` call or a plain string)."""

    frontend: str
    id: str | None
    label_key: str | None
    permission: str | None
    line: int


@dataclass(frozen=True)
class TargetEntry:
    """One target a definition names (``listeners``, ``provides``, ``context_providers``,
    ``widget_provider``, ``metrics_provider``, ``health_check``)."""

    where: str
    """The keyword, with the key for dictionaries, e.g. ``listeners[OrderPaid]``."""
    value: Any
    """The string literal, or UNKNOWN when it is not one."""
    line: int


TARGET_DICTS = ("listeners", "provides", "context_providers", "visitor_providers")
"""Keywords whose values are ``{key: target}`` dictionaries."""
TARGET_FIELDS = ("widget_provider", "metrics_provider", "health_check")
"""Keywords whose value is one target."""


@dataclass
class Definition:
    """What the validator knows of one ``ModuleDefinition(...)`` call."""

    line: int
    """Line of the call."""
    values: dict[str, Any] = field(default_factory=dict)
    """Keyword -> literal value, or UNKNOWN when not a literal."""
    lines: dict[str, int] = field(default_factory=dict)
    """Keyword -> line of the keyword."""
    permissions: list[PermissionEntry] = field(default_factory=list)
    menu_items: list[MenuEntry] = field(default_factory=list)
    has_menus: bool = False
    """Whether ``menu_items`` gives any entry (readable or not) for any frontend."""
    targets: list[TargetEntry] = field(default_factory=list)
    """Every target the definition names."""

    def given(self, name: str) -> bool:
        """Whether the call passes ``name``."""
        return name in self.values

    def literal(self, name: str, default: Any = None) -> Any:
        """The literal value of ``name``; ``default`` when absent or not a literal."""
        value = self.values.get(name, default)
        return default if value is UNKNOWN else value

    def line_of(self, name: str) -> int:
        """Line of keyword ``name``, or of the call when it is absent."""
        return self.lines.get(name, self.line)

    def text(self, name: str) -> str | None:
        """A string literal keyword, else None."""
        value = self.literal(name)
        return value if isinstance(value, str) else None

    def flag(self, name: str, default: bool) -> bool:
        """A boolean keyword, with the dataclass default when absent or not a literal."""
        value = self.literal(name, default)
        return value if isinstance(value, bool) else default

    @property
    def code(self) -> str | None:
        return self.text("code")

    @property
    def requires(self) -> list[str]:
        value = self.literal("requires", [])
        if not isinstance(value, list | tuple):
            return []
        return [item for item in value if isinstance(item, str)]

    @property
    def features(self) -> list[Any] | None:
        """The features list; None when absent or not a literal."""
        value = self.literal("features")
        return list(value) if isinstance(value, list | tuple) else None

    @property
    def is_core(self) -> bool:
        return self.flag("is_core", False)

    @property
    def is_internal(self) -> bool:
        return self.flag("is_internal", False)

    def permission_ids(self) -> set[str]:
        return {p.id for p in self.permissions if p.id}


class DefinitionError(Exception):
    """``definition.py`` cannot be read: syntax error, or not exactly one ModuleDefinition."""

    def __init__(self, message: str, line: int = 1) -> None:
        super().__init__(message)
        self.line = line


def _callee(node: ast.AST) -> str | None:
    if isinstance(node, ast.Call):
        if isinstance(node.func, ast.Name):
            return node.func.id
        if isinstance(node.func, ast.Attribute):
            return node.func.attr
    return None


def _literal(node: ast.AST) -> Any:
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return UNKNOWN


def _call_fields(call: ast.Call, names: tuple[str, ...]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for name, arg in zip(names, call.args, strict=False):
        found[name] = _literal(arg)
    for keyword in call.keywords:
        if keyword.arg:
            found[keyword.arg] = _literal(keyword.value)
    return {k: (v if isinstance(v, str) else None) for k, v in found.items()}


def _permissions(node: ast.AST) -> list[PermissionEntry]:
    if not isinstance(node, ast.List | ast.Tuple):
        return []
    entries = []
    for element in node.elts:
        if isinstance(element, ast.Call) and _callee(element) == "PermissionDefinition":
            fields = _call_fields(element, _PERMISSION_FIELDS)
            entries.append(
                PermissionEntry(
                    id=fields.get("id"),
                    label_key=fields.get("label_key"),
                    description_key=fields.get("description_key"),
                    line=element.lineno,
                )
            )
    return entries


def _frontend_key(node: ast.AST | None) -> str:
    if isinstance(node, ast.Attribute):
        return node.attr.lower()
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value.lower()
    return "?"


def _menu_items(node: ast.AST) -> list[MenuEntry]:
    if not isinstance(node, ast.Dict):
        return []
    entries = []
    for key, value in zip(node.keys, node.values, strict=False):
        frontend = _frontend_key(key)
        if not isinstance(value, ast.List | ast.Tuple):
            continue
        for element in value.elts:
            if isinstance(element, ast.Constant) and isinstance(element.value, str):
                entries.append(MenuEntry(frontend, element.value, None, None, element.lineno))
            elif isinstance(element, ast.Call) and _callee(element) == "MenuItem":
                fields = _call_fields(element, _MENU_FIELDS)
                entries.append(
                    MenuEntry(
                        frontend,
                        fields.get("id"),
                        fields.get("label_key"),
                        fields.get("permission"),
                        element.lineno,
                    )
                )
    return entries


def _any_menu(node: ast.AST) -> bool:
    if not isinstance(node, ast.Dict):
        value = _literal(node)
        return value is UNKNOWN or bool(value)
    for value in node.values:
        if not isinstance(value, ast.List | ast.Tuple) or value.elts:
            return True
    return False


def _key_name(node: ast.AST | None) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Constant):
        return str(node.value)
    return "?"


def _targets(keyword: str, node: ast.AST) -> list[TargetEntry]:
    if keyword in TARGET_FIELDS:
        if isinstance(node, ast.Constant) and node.value is None:
            return []
        return [TargetEntry(keyword, _literal(node), node.lineno)]
    if not isinstance(node, ast.Dict):
        return [TargetEntry(keyword, UNKNOWN, node.lineno)]
    return [
        TargetEntry(f"{keyword}[{_key_name(key)}]", _literal(value), value.lineno)
        for key, value in zip(node.keys, node.values, strict=False)
    ]


def read_definition(path: Path) -> Definition:
    """The ModuleDefinition call in ``path``; raises DefinitionError when there is not one."""
    try:
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source, filename=str(path))
    except SyntaxError as exc:
        raise DefinitionError(f"definition.py does not parse: {exc.msg}", exc.lineno or 1) from exc
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise DefinitionError(f"definition.py cannot be read: {exc}") from exc
    calls = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and _callee(node) == "ModuleDefinition"
    ]
    calls.sort(key=lambda node: (node.lineno, node.col_offset))
    if not calls:
        raise DefinitionError("definition.py holds no ModuleDefinition(...) call")
    if len(calls) > 1:
        raise DefinitionError(
            f"definition.py holds {len(calls)} ModuleDefinition(...) calls; discovery needs one",
            calls[1].lineno,
        )
    call = calls[0]
    definition = Definition(line=call.lineno)
    for name, arg in zip(("code", "name"), call.args, strict=False):
        definition.values[name] = _literal(arg)
        definition.lines[name] = arg.lineno
    for keyword in call.keywords:
        if keyword.arg is None:
            continue
        definition.values[keyword.arg] = _literal(keyword.value)
        definition.lines[keyword.arg] = keyword.lineno
        if keyword.arg == "permissions":
            definition.permissions = _permissions(keyword.value)
        elif keyword.arg == "menu_items":
            definition.menu_items = _menu_items(keyword.value)
            definition.has_menus = _any_menu(keyword.value)
        elif keyword.arg in TARGET_DICTS or keyword.arg in TARGET_FIELDS:
            definition.targets.extend(_targets(keyword.arg, keyword.value))
    return definition
