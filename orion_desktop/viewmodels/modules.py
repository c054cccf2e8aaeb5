"""The Modules page's state: a platform's modules by tier, and toggling them with their cascade."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from orion_desktop.operations import Failure, OperationRunner
from orion_desktop.qt import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from orion_desktop.strings import join_names, tr

TIER_ORDER = ("core", "optional", "internal")
TIER_TITLES = {
    "core": "Core: always on",
    "optional": "Optional",
    "internal": "Internal",
}
CORE_TOOLTIP = "Core modules are always on: every platform needs them to run."


@dataclass(frozen=True)
class PlatformChoice:
    """A platform in the chooser."""

    code: str
    name: str


@dataclass(frozen=True)
class ModuleRow:
    """One module on the chosen platform."""

    code: str
    name: str
    description: str
    tier: str
    requires: tuple[str, ...]
    enabled: bool


@dataclass(frozen=True)
class CascadeQuestion:
    """What the operator confirms before a module changes."""

    module: str
    action: str
    changed: list[str]
    text: str


def load_platforms() -> list[PlatformChoice]:
    """Every platform, by name."""
    from orion_server.database import db
    from orion_server.tenancy import tenancy_service

    with db.session() as session:
        return [PlatformChoice(p.code, p.name) for p in tenancy_service.all_platforms(session)]


def load_modules(platform_code: str) -> list[ModuleRow]:
    """The platform's modules with their state."""
    from orion_server.database import db
    from orion_server.modules.service import module_service
    from orion_server.tenancy import tenancy_service

    with db.session() as session:
        platform = tenancy_service.get_platform(session, platform_code)
        return [
            ModuleRow(m.code, m.name, m.description, m.tier, tuple(m.requires), m.enabled)
            for m in module_service.get_platform_modules(session, platform.id)
        ]


def preview_change(platform_code: str, module: str, action: str) -> list[str]:
    """The codes that would change (dry run of the services' cascade)."""
    from orion_server.database import db
    from orion_server.tenancy import tenancy_service

    with db.session() as session:
        return tenancy_service.change_module(session, platform_code, module, action, dry_run=True).changed


def apply_change(platform_code: str, module: str, action: str, expected: list[str]) -> list[str]:
    """Apply the change the operator confirmed (refused when the cascade moved meanwhile)."""
    from orion_server.database import db
    from orion_server.tenancy import tenancy_service

    with db.session() as session:
        return tenancy_service.change_module(session, platform_code, module, action, expected=expected).changed


class ModulesTableModel(QAbstractTableModel):
    """Modules grouped by tier: a title row per tier, then its modules; column 3 is the switch."""

    COLUMNS = ("Module", "Description", "Requires", "On")
    SWITCH = 3

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[ModuleRow | str] = []
        self.names: dict[str, str] = {}
        self.on_toggle: Callable[[str, bool], None] | None = None

    def set_modules(self, modules: list[ModuleRow]) -> None:
        self.beginResetModel()
        self.names = {m.code: m.name for m in modules}
        self.rows = []
        for tier in TIER_ORDER:
            members = [m for m in modules if m.tier == tier]
            if members:
                self.rows.append(tier)
                self.rows.extend(sorted(members, key=lambda m: m.name.lower()))
        self.endResetModel()

    def module_at(self, row: int) -> ModuleRow | None:
        item = self.rows[row] if 0 <= row < len(self.rows) else None
        return item if isinstance(item, ModuleRow) else None

    def row_of(self, code: str) -> int:
        return next(i for i, item in enumerate(self.rows) if isinstance(item, ModuleRow) and item.code == code)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.COLUMNS):
            return tr(self.COLUMNS[section])
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        module = self.module_at(index.row())
        if module is None:
            return Qt.ItemFlag.ItemIsEnabled
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == self.SWITCH and module.tier != "core":
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        item = self.rows[index.row()]
        column = index.column()
        if isinstance(item, str):  # a tier title
            if role == Qt.ItemDataRole.DisplayRole and column == 0:
                return tr(TIER_TITLES.get(item, item.title()))
            if role == Qt.ItemDataRole.ToolTipRole and item == "core":
                return tr(CORE_TOOLTIP)
            if role == Qt.ItemDataRole.FontRole:
                from orion_desktop.qt import QFont

                font = QFont()
                font.setBold(True)
                return font
            if role == Qt.ItemDataRole.BackgroundRole:
                from orion_desktop.qt import QColor

                return QColor("#e8ecf0")
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return item.name
            if column == 1:
                return item.description
            if column == 2:
                return ", ".join(self.names.get(code, code) for code in item.requires) or "—"
            if column == self.SWITCH:
                return tr("Always on") if item.tier == "core" else (tr("On") if item.enabled else tr("Off"))
        if role == Qt.ItemDataRole.CheckStateRole and column == self.SWITCH and item.tier != "core":
            return Qt.CheckState.Checked if item.enabled else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ToolTipRole:
            if item.tier == "core":
                return tr(CORE_TOOLTIP)
            return f"{item.name} ({item.code}): {item.description}"
        return None

    def setData(self, index: QModelIndex | QPersistentModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        # The switch asks for a change; the row only changes once the change is confirmed and applied.
        module = self.module_at(index.row()) if index.isValid() else None
        if module is None or role != Qt.ItemDataRole.CheckStateRole or index.column() != self.SWITCH:
            return False
        if module.tier == "core" or self.on_toggle is None:
            return False
        wanted = Qt.CheckState(value) == Qt.CheckState.Checked if not isinstance(value, bool) else value
        if wanted != module.enabled:
            self.on_toggle(module.code, wanted)
        return False


class ModulesViewModel(QObject):
    """Platforms, their modules, and toggling with the cascade confirmed first."""

    platforms_changed = Signal()
    modules_changed = Signal()
    change_applied = Signal(list)
    failed = Signal(object)  # Failure

    def __init__(self, runner: OperationRunner, confirm: Callable[[CascadeQuestion], bool],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.confirm = confirm
        self.platforms: list[PlatformChoice] = []
        self.platform_code: str | None = None
        self.modules: list[ModuleRow] = []
        self.table = ModulesTableModel(self)
        self.table.on_toggle = lambda code, on: self.toggle(code, on)
        self.last_failure: Failure | None = None

    def load(self) -> None:
        """Read the platforms, then the modules of the chosen one."""
        self.runner.run(load_platforms, label=tr("Reading the platforms"),
                        on_success=self._platforms_loaded, on_failure=self._failed)

    def _platforms_loaded(self, platforms: list[PlatformChoice]) -> None:
        self.platforms = platforms
        codes = [p.code for p in platforms]
        if self.platform_code not in codes:
            self.platform_code = codes[0] if codes else None
        self.platforms_changed.emit()
        self.reload_modules()

    def choose_platform(self, code: str) -> None:
        """Show the modules of another platform."""
        if code != self.platform_code:
            self.platform_code = code
            self.reload_modules()

    def reload_modules(self) -> None:
        if self.platform_code is None:
            self.modules = []
            self.table.set_modules([])
            self.modules_changed.emit()
            return
        self.runner.run(load_modules, self.platform_code, label=tr("Reading the modules"),
                        on_success=self._modules_loaded, on_failure=self._failed)

    def _modules_loaded(self, modules: list[ModuleRow]) -> None:
        self.modules = modules
        self.table.set_modules(modules)
        self.modules_changed.emit()

    def module(self, code: str) -> ModuleRow | None:
        return next((m for m in self.modules if m.code == code), None)

    def toggle(self, code: str, on: bool | None = None) -> None:
        """Preview turning ``code`` on (or off), ask the operator, and apply only when confirmed."""
        module = self.module(code)
        if module is None or self.platform_code is None or module.tier == "core":
            return
        action = "enable" if (not module.enabled if on is None else on) else "disable"
        platform = self.platform_code
        self.runner.run(preview_change, platform, code, action, label=tr("Checking what else changes"),
                        on_success=lambda changed: self._ask(platform, code, action, changed),
                        on_failure=self._failed)

    def question(self, code: str, action: str, changed: list[str]) -> CascadeQuestion:
        """The sentence the operator confirms."""
        names = {m.code: m.name for m in self.modules}
        name = names.get(code, code)
        others = [names.get(c, c) for c in changed if c != code]
        if action == "enable":
            text = (tr("Enabling {name} also enables {others}.", name=name, others=join_names(others))
                    if others else tr("Enable {name}?", name=name))
        else:
            text = (tr("Disabling {name} also disables {others}. Their data is kept.", name=name,
                       others=join_names(others))
                    if others else tr("Disable {name}? Its data is kept.", name=name))
        return CascadeQuestion(code, action, list(changed), text)

    def _ask(self, platform: str, code: str, action: str, changed: list[str]) -> None:
        if not changed:
            self.reload_modules()
            return
        if not self.confirm(self.question(code, action, changed)):
            self.modules_changed.emit()  # the switch goes back to what it shows
            return
        self.runner.run(apply_change, platform, code, action, changed, label=tr("Changing modules"),
                        on_success=self._applied, on_failure=self._failed)

    def _applied(self, changed: list[str]) -> None:
        self.change_applied.emit(changed)
        self.reload_modules()

    def _failed(self, failure: Failure) -> None:
        self.last_failure = failure
        self.failed.emit(failure)
