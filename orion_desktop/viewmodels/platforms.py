"""The Platforms & stores page's state: both lists, searched through the tenancy service."""

from __future__ import annotations

from dataclasses import dataclass

from orion_desktop.operations import Failure, OperationRunner
from orion_desktop.qt import QObject, Signal
from orion_desktop.strings import tr
from orion_desktop.viewmodels.tables import RowsTableModel


@dataclass(frozen=True)
class PlatformRow:
    code: str
    name: str
    domain: str
    default_language: str
    stores: int
    active: bool


@dataclass(frozen=True)
class StoreRow:
    code: str
    name: str
    platform: str
    merchant: str
    subdomain: str
    languages: tuple[str, ...]
    active: bool


def search_tenants(search: str) -> tuple[list[PlatformRow], list[StoreRow], bool]:
    """Platforms and stores whose code or name contains ``search``; and whether any platform exists."""
    from modules.tenancy.services import MAX_PER_PAGE, tenancy_service
    from orion_server.database import db

    with db.session() as session:
        counts = tenancy_service.store_counts(session)
        platforms = tenancy_service.list_platforms(session, search=search, per_page=MAX_PER_PAGE)
        stores = tenancy_service.list_stores(session, search=search, per_page=MAX_PER_PAGE)
        any_platform = bool(platforms.total) or bool(tenancy_service.all_platforms(session))
        return (
            [PlatformRow(p.code, p.name, p.domain or "", p.default_language, counts.get(p.id, 0), p.is_active)
             for p in platforms.items],
            [StoreRow(s.code, s.name, s.platform.code, s.merchant.name if s.merchant else "", s.subdomain,
                      tuple(s.languages or ()), s.is_active)
             for s in stores.items],
            any_platform,
        )


class PlatformsViewModel(QObject):
    """Platforms and stores matching the search text."""

    changed = Signal()
    failed = Signal(object)  # Failure

    def __init__(self, runner: OperationRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.search = ""
        self.any_platform = True
        self.platforms = RowsTableModel(
            [("Code", "code"), ("Name", "name"), ("Domain", "domain"), ("Language", "default_language"),
             ("Stores", "stores"), ("Active", "active")], self)
        self.stores = RowsTableModel(
            [("Code", "code"), ("Name", "name"), ("Platform", "platform"), ("Merchant", "merchant"),
             ("Subdomain", "subdomain"), ("Languages", "languages"), ("Active", "active")], self)
        self._generation = 0

    def load(self, search: str | None = None) -> None:
        """Read both lists again (with a new search text when given)."""
        if search is not None:
            self.search = search.strip()
        self._generation += 1
        generation = self._generation
        self.runner.run(search_tenants, self.search, label=tr("Reading platforms and stores"),
                        on_success=lambda result: self._loaded(generation, result),
                        on_failure=self._failed)

    def _loaded(self, generation: int, result: tuple[list[PlatformRow], list[StoreRow], bool]) -> None:
        if generation != self._generation:
            return
        platforms, stores, self.any_platform = result
        self.platforms.set_rows(platforms)
        self.stores.set_rows(stores)
        self.changed.emit()

    def _failed(self, failure: Failure) -> None:
        self.failed.emit(failure)

    @property
    def empty_text(self) -> str:
        """What to do next when nothing is listed."""
        if not self.any_platform:
            return tr("There is no platform yet. Run `orion init` to create the main platform.")
        if self.search:
            return tr("Nothing matches “{search}”. Try a shorter search.", search=self.search)
        return tr("No store yet. Create one with `orion stores create CODE --name NAME`, or in the web admin.")
