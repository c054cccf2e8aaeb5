"""Find every module's ``definition.py``: in the ``modules`` package and in ORION_MODULE_PATHS.

Built-in modules are listed with ``pkgutil.iter_modules``, which also works inside a
PyInstaller bundle (its importer lists the packages it froze); extra folders are real
folders on disk and are scanned directly.
"""

from __future__ import annotations

import importlib
import logging
import pkgutil
import sys
from pathlib import Path
from types import ModuleType

from orion_server.modules.base import ModuleDefinition

logger = logging.getLogger(__name__)

BUILTIN_PACKAGE = "modules"


class ModuleDiscoveryError(RuntimeError):
    """A module could not be loaded or its definition is malformed."""


def _definition_in(module: ModuleType, where: str) -> ModuleDefinition:
    found = [value for value in vars(module).values() if isinstance(value, ModuleDefinition)]
    if len(found) != 1:
        raise ModuleDiscoveryError(
            f"{where}: expected exactly one ModuleDefinition, found {len(found)}"
        )
    return found[0]


def _load(package: str, folder: Path | None) -> ModuleDefinition:
    try:
        module = importlib.import_module(f"{package}.definition")
    except ModuleDiscoveryError:
        raise
    except Exception as exc:
        raise ModuleDiscoveryError(f"cannot import {package}.definition: {exc}") from exc
    definition = _definition_in(module, f"{package}/definition.py")
    definition.package = package
    if folder is None:
        pkg = importlib.import_module(package)
        folder = Path(next(iter(pkg.__path__))) if getattr(pkg, "__path__", None) else None
    definition.path = folder
    if definition.package_name != package.rsplit(".", 1)[-1]:
        raise ModuleDiscoveryError(
            f"{package}/definition.py: code {definition.code!r} does not match its folder "
            f"(expected folder {definition.package_name!r})"
        )
    return definition


def builtin_module_packages() -> list[str]:
    """Dotted names of the packages under ``modules`` that hold a ``definition.py``."""
    root = importlib.import_module(BUILTIN_PACKAGE)
    names = []
    for info in pkgutil.iter_modules(root.__path__, prefix=f"{BUILTIN_PACKAGE}."):
        if not info.ispkg or info.name.rsplit(".", 1)[-1].startswith("_"):
            continue
        if importlib.util.find_spec(f"{info.name}.definition") is not None:
            names.append(info.name)
    return sorted(names)


def extra_module_folders(paths: list[Path]) -> list[Path]:
    """Module folders (each with a definition.py) inside the extra module paths."""
    folders = []
    for base in paths:
        base = Path(base)
        if not base.is_dir():
            raise ModuleDiscoveryError(f"ORION_MODULE_PATHS names {base}, which is not a folder")
        for child in sorted(base.iterdir()):
            if (child / "definition.py").is_file() and not child.name.startswith("_"):
                folders.append(child)
    return folders


def discover_modules(extra_paths: list[Path] | None = None) -> list[ModuleDefinition]:
    """Import every module definition, built-in ones first, then those in the extra paths."""
    definitions = [_load(name, None) for name in builtin_module_packages()]
    for folder in extra_module_folders(list(extra_paths or [])):
        parent = str(folder.parent.resolve())
        if parent not in sys.path:
            sys.path.append(parent)
        definitions.append(_load(folder.name, folder.resolve()))
    return definitions
