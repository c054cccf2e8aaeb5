"""Errors of the Marketplace module."""

from __future__ import annotations

from orion_server.errors import OrionError
from orion_server.forms import InputError, Problem

__all__ = ["MarketplaceError", "MarketplaceInputError", "Problem"]


class MarketplaceError(OrionError):
    """Base of the Marketplace module's errors."""


class MarketplaceInputError(InputError):
    """An uploaded catalogue file or a setting that cannot be used (422, every field named)."""
