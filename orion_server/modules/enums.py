"""Enumerations of the module contract."""

from __future__ import annotations

import enum


class FrontendType(enum.StrEnum):
    """The four faces a module can contribute pages, APIs and template context to."""

    PLATFORM = "platform"
    """Public marketing pages of a platform (home, pricing, signup)."""
    ADMIN = "admin"
    """The platform admin dashboard."""
    STORE = "store"
    """A store's staff dashboard."""
    STOREFRONT = "storefront"
    """The shop a customer sees."""


class ModuleTier(enum.StrEnum):
    """How a module is classified: always on, per platform, or admin-only."""

    CORE = "core"
    OPTIONAL = "optional"
    INTERNAL = "internal"
