"""Translations of each module: MOD-006, MOD-012, ORION-106."""

from __future__ import annotations

import json
import re
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any

from orion_server.validator.findings import Finding
from orion_server.validator.rules import make_finding
from orion_server.validator.rules_structure import locales_folder
from orion_server.validator.tree import ModuleSource, Tree

LANGUAGES = ("en", "de", "fr", "lb")
"""Languages every module ships (orion_server.config.SUPPORTED_LANGUAGES)."""
REFERENCE = "en"
FRAMEWORK_LOCALES = Path("resources") / "locales"
SHOWN_KEYS = 5


class LocaleError(Exception):
    def __init__(self, message: str, line: int = 1) -> None:
        super().__init__(message)
        self.line = line


def flatten(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested objects become dotted keys, as the translation catalogue reads them."""
    flat: dict[str, Any] = {}
    for key, value in data.items():
        full = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, f"{full}."))
        else:
            flat[full] = value
    return flat


def read_locale(path: Path) -> dict[str, Any]:
    """Flat keys of one locale file; raises LocaleError when it is not a JSON object."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise LocaleError(f"{path.name} is not valid JSON: {exc.msg}", exc.lineno) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise LocaleError(f"{path.name} cannot be read: {exc}") from exc
    if not isinstance(data, dict):
        raise LocaleError(f"{path.name} must hold a JSON object of key -> text")
    return flatten(data)


def line_of_key(path: Path, key: str) -> int:
    """Line where ``key`` (or, for a nested key, its last part) is written; 1 if not found."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return 1
    for candidate in (key, key.rsplit(".", 1)[-1]):
        pattern = re.compile(r'"' + re.escape(candidate) + r'"\s*:')
        for number, text in enumerate(lines, start=1):
            if pattern.search(text):
                return number
    return 1


def _listed(keys: list[str]) -> str:
    shown = ", ".join(keys[:SHOWN_KEYS])
    more = len(keys) - SHOWN_KEYS
    return f"{shown} and {more} more" if more > 0 else shown


def check(tree: Tree) -> Iterator[Finding]:
    framework_keys = _framework_keys(tree.root)
    for module in tree.defined:
        folder = locales_folder(module)
        if not folder.is_dir():
            continue  # MOD-001 reports the missing folder
        yield from _stray_files(module, folder)
        reference = yield from _languages(module, folder)
        if reference is not None:
            yield from _definition_keys(module, set(reference) | framework_keys)


def _framework_keys(root: Path) -> set[str]:
    path = root / FRAMEWORK_LOCALES / f"{REFERENCE}.json"
    if not path.is_file():
        return set()
    try:
        return set(read_locale(path))
    except LocaleError:
        return set()


# MOD-012 ---------------------------------------------------------------------------------


def _stray_files(module: ModuleSource, folder: Path) -> Iterator[Finding]:
    expected = {f"{lang}.json" for lang in LANGUAGES}
    for path in sorted(folder.glob("*.json")):
        if path.name not in expected:
            yield make_finding(
                "MOD-012",
                module.rel(path),
                1,
                f"{path.name} is never loaded: locale files are named "
                f"{', '.join(sorted(expected))}",
            )


# ORION-106 -------------------------------------------------------------------------------


def _languages(
    module: ModuleSource, folder: Path
) -> Generator[Finding, None, dict[str, Any] | None]:
    """Check each language file against en.json; returns en.json's keys, or None."""
    contents: dict[str, dict[str, Any]] = {}
    for lang in LANGUAGES:
        path = folder / f"{lang}.json"
        if not path.is_file():
            yield make_finding(
                "ORION-106",
                module.rel(path),
                1,
                f"module {module.code} has no {lang}.json translations",
            )
            continue
        try:
            contents[lang] = read_locale(path)
        except LocaleError as exc:
            yield make_finding("ORION-106", module.rel(path), exc.line, str(exc))
    reference = contents.get(REFERENCE)
    if reference is None:
        return None
    for lang, keys in contents.items():
        if lang == REFERENCE:
            continue
        path = folder / f"{lang}.json"
        missing = sorted(set(reference) - set(keys))
        extra = sorted(set(keys) - set(reference))
        if missing:
            yield make_finding(
                "ORION-106",
                module.rel(path),
                1,
                f"{lang}.json lacks {len(missing)} key(s) of en.json: {_listed(missing)}",
            )
        if extra:
            yield make_finding(
                "ORION-106",
                module.rel(path),
                line_of_key(path, extra[0]),
                f"{lang}.json has {len(extra)} key(s) en.json does not: {_listed(extra)}",
            )
    return reference


# MOD-006 ---------------------------------------------------------------------------------


def _definition_keys(module: ModuleSource, known: set[str]) -> Iterator[Finding]:
    definition = module.definition
    assert definition is not None
    entries: list[tuple[int, str, list[str | None]]] = [
        (p.line, f"permission {p.id}", [p.label_key, p.description_key])
        for p in definition.permissions
    ]
    entries += [(m.line, f"menu item {m.id}", [m.label_key]) for m in definition.menu_items]
    for line, what, keys in entries:
        missing = [key for key in keys if key and key not in known]
        if missing:
            yield make_finding(
                "MOD-006",
                module.rel(module.definition_file),
                line,
                f"{what} uses translation key(s) missing from en.json: {', '.join(missing)}",
            )
