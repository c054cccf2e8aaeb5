"""The Platforms & stores page's state: both lists (searched in place), and creating and editing
platforms and stores through the tenancy service, whose validation messages go back to the form."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from orion_desktop.operations import Failure, OperationRunner
from orion_desktop.qt import QObject, QSortFilterProxyModel, Qt, Signal
from orion_desktop.strings import current_language, tr
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
    default_language: str = ""
    merchant_id: int | None = None


@dataclass(frozen=True)
class SaveOutcome:
    """What saving a form gave: the saved code, or a message per field (``""`` for the form)."""

    code: str = ""
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def search_tenants(search: str) -> tuple[list[PlatformRow], list[StoreRow], bool]:
    """Platforms and stores whose code or name contains ``search``; and whether any platform exists."""
    from orion_server.database import db
    from orion_server.tenancy import MAX_PER_PAGE, tenancy_service

    with db.session() as session:
        counts = tenancy_service.store_counts(session)
        platforms = tenancy_service.list_platforms(session, search=search, per_page=MAX_PER_PAGE)
        stores = tenancy_service.list_stores(session, search=search, per_page=MAX_PER_PAGE)
        any_platform = bool(platforms.total) or bool(tenancy_service.all_platforms(session))
        return (
            [PlatformRow(p.code, p.name, p.domain or "", p.default_language, counts.get(p.id, 0), p.is_active)
             for p in platforms.items],
            [StoreRow(s.code, s.name, s.platform.code, s.merchant.name if s.merchant else "", s.subdomain,
                      tuple(s.languages or ()), s.is_active, s.default_language, s.merchant_id)
             for s in stores.items],
            any_platform,
        )


def sentence(text: str) -> str:
    """``text`` starting with a capital and ending with a full stop."""
    text = text.strip()
    if text and text[0].islower():
        text = text[0].upper() + text[1:]
    if text and text[-1] not in ".!?":
        text += "."
    return text


def problem_message(message: str, key: str | None = None, params: dict[str, Any] | None = None) -> str:
    """A service's problem in the console language: its translation key when the server's
    catalogue has it, else the console's own translation of the English sentence."""
    from orion_server.i18n import t

    if key:
        translated = t(key, current_language(), **(params or {}))
        if translated != key:
            return sentence(translated)
    return tr(sentence(message))


def errors_of(exc: Exception) -> dict[str, str]:
    """Field -> message for every problem an Orion error names (``""`` for the whole form)."""
    from orion_server.errors import OrionError
    from orion_server.forms import WithProblems

    if not isinstance(exc, OrionError):
        raise exc
    if isinstance(exc, WithProblems):
        return {name: sentence(message) for name, message in exc.field_messages(current_language()).items()}
    problems = exc.details.get("problems") or [
        {"field": exc.field or "", "key": exc.details.get("key"), "message": exc.message,
         "params": exc.details.get("params") or {}}
    ]
    errors: dict[str, str] = {}
    for problem in problems:
        errors.setdefault(problem.get("field") or "", problem_message(
            problem.get("message", ""), problem.get("key"), problem.get("params")))
    return errors


def save_platform(values: dict[str, Any], existing: str | None = None) -> SaveOutcome:
    """Create a platform (``existing`` None) or change the platform ``existing``."""
    from orion_server.database import db
    from orion_server.errors import OrionError
    from orion_server.tenancy import tenancy_service

    with db.session() as session:
        try:
            if existing is None:
                platform = tenancy_service.create_platform(
                    session, code=values["code"], name=values["name"], domain=values.get("domain") or None,
                    default_language=values["default_language"])
            else:
                platform = tenancy_service.update_platform(
                    session, existing, name=values["name"], domain=values.get("domain") or "",
                    default_language=values["default_language"])
        except OrionError as exc:
            return SaveOutcome(errors=errors_of(exc))
        return SaveOutcome(code=platform.code)


def save_store(values: dict[str, Any], existing: str | None = None) -> SaveOutcome:
    """Create a store (``existing`` None) or change the store ``existing``."""
    from orion_server.database import db
    from orion_server.errors import OrionError
    from orion_server.tenancy import tenancy_service

    with db.session() as session:
        try:
            if existing is None:
                store = tenancy_service.create_store(
                    session, platform_code=values["platform"], code=values["code"], name=values["name"],
                    subdomain=values.get("subdomain") or None, merchant_id=values.get("merchant_id"),
                    default_language=values["default_language"], languages=list(values["languages"]))
            else:
                store = tenancy_service.update_store(
                    session, existing, name=values["name"], subdomain=values.get("subdomain", ""),
                    default_language=values["default_language"], languages=list(values["languages"]),
                    merchant_id=values.get("merchant_id"), is_active=values.get("active"))
        except OrionError as exc:
            return SaveOutcome(errors=errors_of(exc))
        return SaveOutcome(code=store.code)


def merchants_of(platform_code: str) -> list[tuple[int, str]]:
    """(id, name) of the merchants of a platform, by name."""
    from orion_server.database import db
    from orion_server.tenancy import tenancy_service

    with db.session() as session:
        return [(m.id, m.name) for m in tenancy_service.list_merchants(session, platform_code=platform_code)]


def _filter_proxy(source: RowsTableModel, parent: QObject) -> QSortFilterProxyModel:
    proxy = QSortFilterProxyModel(parent)
    proxy.setSourceModel(source)
    proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    proxy.setFilterKeyColumn(-1)  # any column
    return proxy


class PlatformsViewModel(QObject):
    """Platforms and stores; ``platforms_view``/``stores_view`` show those matching the filter."""

    changed = Signal()
    failed = Signal(object)  # Failure
    saved = Signal(str, str)  # kind ("platform" or "store"), code

    def __init__(self, runner: OperationRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.search = ""
        self.filter_text = ""
        self.any_platform = True
        self.server = None  # the ServerViewModel, for storefront addresses (set by the window)
        self.platforms = RowsTableModel(
            [("Code", "code"), ("Name", "name"), ("Domain", "domain"), ("Language", "default_language"),
             ("Stores", "stores"), ("Active", "active")], self)
        self.stores = RowsTableModel(
            [("Code", "code"), ("Name", "name"), ("Platform", "platform"), ("Merchant", "merchant"),
             ("Subdomain", "subdomain"), ("Languages", "languages"), ("Active", "active")], self)
        self.platforms_view = _filter_proxy(self.platforms, self)
        self.stores_view = _filter_proxy(self.stores, self)
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

    def filter(self, text: str) -> None:
        """Show only the rows with ``text`` in any column (at once, without reading again)."""
        self.filter_text = text.strip()
        self.platforms_view.setFilterFixedString(self.filter_text)
        self.stores_view.setFilterFixedString(self.filter_text)
        self.changed.emit()

    def _loaded(self, generation: int, result: tuple[list[PlatformRow], list[StoreRow], bool]) -> None:
        if generation != self._generation:
            return
        platforms, stores, self.any_platform = result
        self.platforms.set_rows(platforms)
        self.stores.set_rows(stores)
        self.changed.emit()

    def _failed(self, failure: Failure) -> None:
        self.failed.emit(failure)

    # -- rows behind the views ------------------------------------------------------------------

    def platform_at(self, view_row: int) -> PlatformRow | None:
        """The platform shown in row ``view_row`` of ``platforms_view``."""
        return _row_at(self.platforms_view, self.platforms, view_row)

    def store_at(self, view_row: int) -> StoreRow | None:
        """The store shown in row ``view_row`` of ``stores_view``."""
        return _row_at(self.stores_view, self.stores, view_row)

    # -- creating and changing ------------------------------------------------------------------

    def save_platform(self, values: dict[str, Any], existing: str | None, on_done) -> None:
        """Save in the background; ``on_done(SaveOutcome)`` on the UI thread; the lists follow."""
        self.runner.run(save_platform, values, existing, label=tr("Saving the platform"),
                        on_success=lambda outcome: self._saved("platform", outcome, on_done),
                        on_failure=lambda failure: on_done(SaveOutcome(errors={"": failure.message})))

    def save_store(self, values: dict[str, Any], existing: str | None, on_done) -> None:
        """Save in the background; ``on_done(SaveOutcome)`` on the UI thread; the lists follow."""
        self.runner.run(save_store, values, existing, label=tr("Saving the store"),
                        on_success=lambda outcome: self._saved("store", outcome, on_done),
                        on_failure=lambda failure: on_done(SaveOutcome(errors={"": failure.message})))

    def load_merchants(self, platform_code: str, on_done) -> None:
        """The merchants of a platform, for the store form's picker."""
        self.runner.run(merchants_of, platform_code, label=tr("Reading the merchants"),
                        on_success=on_done, on_failure=lambda _failure: on_done([]))

    def _saved(self, kind: str, outcome: SaveOutcome, on_done) -> None:
        on_done(outcome)
        if outcome.ok:
            self.saved.emit(kind, outcome.code)
            self.load()
            if kind == "store" and self.server is not None:
                self.server.load_storefronts()

    def storefront_url(self, store: StoreRow) -> str:
        """The address of a store's storefront on this computer, as the Server page lists it."""
        if self.server is not None:
            for link in self.server.storefront_links():
                if link.platform == store.platform and link.store == store.code:
                    return link.urls[0]
        from orion_desktop.server_control import DEFAULT_PORT, LOCAL_HOST

        port = self.server.port if self.server is not None else DEFAULT_PORT
        return f"http://{LOCAL_HOST}:{port}/platforms/{store.platform}/storefront/{store.code}/"

    @property
    def empty_text(self) -> str:
        """What to do next when nothing is listed."""
        if not self.any_platform:
            return tr("There is no platform yet. Press “New platform” to create the first one.")
        if self.search or self.filter_text:
            return tr("Nothing matches “{search}”. Try a shorter search.", search=self.filter_text or self.search)
        return tr("No store yet. Press “New store” (Ctrl+N) to create the first one.")


def _row_at(view: QSortFilterProxyModel, model: RowsTableModel, view_row: int):
    if not 0 <= view_row < view.rowCount():
        return None
    source = view.mapToSource(view.index(view_row, 0))
    return model.rows[source.row()] if source.isValid() else None
