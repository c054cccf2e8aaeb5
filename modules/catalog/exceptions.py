"""Errors of the Catalog module."""

from __future__ import annotations

from orion_server.errors import OrionError
from orion_server.forms import InputError, Problem, field_messages

__all__ = ["CatalogError", "CatalogInputError", "Problem", "field_messages"]


class CatalogError(OrionError):
    """Base of the Catalog module's errors."""


class CatalogInputError(InputError):
    """A product, category or image broke one or more rules (422, every field named)."""

