"""Dashboard widgets: what a module shows on the store dashboard's home and the admin dashboard.

A module declares ``widget_provider=".dashboard:Widgets"`` in its definition; the factory
returns a ``DashboardWidgetProviderProtocol``. The dashboards ask every module enabled there,
in dependency order, and show each widget as a card; a provider that fails shows a small "not
available" card instead and the page still renders. Texts are already in the asked language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable


@dataclass(frozen=True)
class WidgetItem:
    """One line of a widget's list, e.g. an order to ship or a SKU running low."""

    label: str
    value: str = ""
    """Display text on the right, e.g. ``3 left``."""
    link: str | None = None


@dataclass(frozen=True)
class DashboardWidget:
    """One card on a dashboard."""

    key: str
    """Stable identifier, ``<module>.<what>``, e.g. ``orders.to_ship``."""
    title: str
    value: str
    """The figure as display text, formatted for the language (``12``, ``1.234,50 €``)."""
    items: list[WidgetItem] = field(default_factory=list)
    """A short list under the figure (at most a handful)."""
    link: str | None = None
    """The page that shows more."""
    hint: str = ""
    """A sentence under the figure, e.g. what it counts or what to do."""
    permission: str | None = None
    """Permission a store's staff member needs to see it (store dashboard only)."""
    order: int = 100
    """Sort key among one module's widgets; modules come in dependency order."""


@runtime_checkable
class DashboardWidgetProviderProtocol(Protocol):
    """Widgets of one module (``widget_provider`` in its definition)."""

    def get_store_widgets(self, db: Any, store_id: int, language: str) -> list[DashboardWidget]:
        """The module's cards on the home of store ``store_id``'s dashboard."""
        ...

    def get_platform_widgets(self, db: Any, platform_id: int, language: str) -> list[DashboardWidget]:
        """The module's cards for platform ``platform_id`` on the admin dashboard."""
        ...
