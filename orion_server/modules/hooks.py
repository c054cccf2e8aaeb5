"""Callbacks other framework parts register to hear that the registry was refilled."""

from __future__ import annotations

from collections.abc import Callable

_listeners: list[Callable[[], None]] = []


def on_registry_reload(listener: Callable[[], None]) -> None:
    """Call ``listener`` whenever the registry is rediscovered."""
    _listeners.append(listener)


def registry_reloaded() -> None:
    """Tell every listener the registry changed."""
    for listener in list(_listeners):
        listener()
