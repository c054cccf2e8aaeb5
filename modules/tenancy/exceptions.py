"""Errors of the Tenancy module."""

from __future__ import annotations

from typing import Any

from orion_server.errors import OrionError


class TenancyError(OrionError):
    """Base of the Tenancy module's errors."""


class CascadeChangedError(TenancyError):
    """A module change was confirmed for one cascade, but the platform's states moved since."""

    status = 409
    code = "cascade_changed"

    def __init__(self, message: str, *, change: Any, expected: list[str]) -> None:
        super().__init__(
            message,
            key="tenancy.modules.stale",
            params={},
            changed=list(change.changed),
            expected=list(expected),
        )
        self.change = change
        """The ModuleChange preview of what the request would do now."""
