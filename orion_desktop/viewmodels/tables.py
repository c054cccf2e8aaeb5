"""A read-only table model over a list of dataclass-like rows, one column per attribute."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from orion_desktop.qt import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from orion_desktop.strings import tr


class RowsTableModel(QAbstractTableModel):
    """Rows shown through ``columns``: (title, attribute) pairs."""

    def __init__(self, columns: Sequence[tuple[str, str]], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self.rows: list[Any] = []

    def set_rows(self, rows: list[Any]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            return tr(self.columns[section][0])
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows) or not 0 <= index.column() < len(self.columns):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            value = getattr(self.rows[index.row()], self.columns[index.column()][1])
            if isinstance(value, (list, tuple)):
                return ", ".join(str(v) for v in value)
            if isinstance(value, bool):
                return tr("Yes") if value else tr("No")
            return "" if value is None else str(value)
        return None
