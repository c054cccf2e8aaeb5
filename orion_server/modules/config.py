"""Module configuration: each module's ``config.py`` exports ``config`` or ``config_class``."""

from __future__ import annotations

import importlib
import importlib.util
from typing import Any

from orion_server.modules import hooks, registry

_configs: dict[str, Any] = {}


def get_module_config(code: str) -> Any | None:
    """The settings object of module ``code`` (env vars with its prefix), or None."""
    if code in _configs:
        return _configs[code]
    module = registry.get_module(code)
    if module is None:
        raise KeyError(f"unknown module {code!r}")
    dotted = f"{module.package}.config"
    try:
        spec = importlib.util.find_spec(dotted)
    except ModuleNotFoundError:
        spec = None
    config = None
    if spec is not None:
        loaded = importlib.import_module(dotted)
        config = getattr(loaded, "config", None)
        if config is None and getattr(loaded, "config_class", None) is not None:
            config = loaded.config_class()
    _configs[code] = config
    return config


def reset_module_configs() -> None:
    """Forget loaded configs (they are read again from the environment on next use)."""
    _configs.clear()


hooks.on_registry_reload(reset_module_configs)
