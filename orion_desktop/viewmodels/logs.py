"""The Logs page's state: logs.db tailed live with filters, and the support bundle."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from orion_desktop.operations import Failure, OperationRunner
from orion_desktop.qt import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from orion_desktop.strings import tr

LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
MAX_ROWS = 5000
FIRST_LOAD_WINDOW = timedelta(days=1)
LEVEL_COLOURS = {"WARNING": "#9a6700", "ERROR": "#cf222e", "CRITICAL": "#cf222e"}


@dataclass(frozen=True)
class LogFilters:
    """What the operator narrows the records to."""

    min_level: str = "DEBUG"
    source: str = ""
    text: str = ""


@dataclass(frozen=True)
class BundleItem:
    """One file the support bundle will hold."""

    name: str
    description: str
    size: int


def logs_path() -> Path:
    """logs.db of the current settings."""
    from orion_server.config import get_settings
    from orion_server.logs import LOG_DB

    return get_settings().logs_dir / LOG_DB


def fetch_records(path: Path, filters: LogFilters, after_id: int, first: bool) -> list[dict[str, Any]]:
    """New records after ``after_id`` matching the filters (the last day's on the first read)."""
    from orion_server.logs import query_logs

    since = datetime.now(UTC) - FIRST_LOAD_WINDOW if first else None
    rows = query_logs(
        path,
        since=since,
        min_level=logging.getLevelName(filters.min_level) if filters.min_level else 0,
        source=filters.source or None,
        text=filters.text or None,
        after_id=after_id,
        limit=MAX_ROWS if first else 1000,
    )
    return rows


def preview_bundle(window: str) -> list[BundleItem]:
    """What the support bundle for the time window will hold (a bad window is a BundleError)."""
    from orion_server.support_bundle import bundle_contents, parse_duration

    return [BundleItem(e.name, e.description, len(e.content)) for e in bundle_contents(parse_duration(window))]


def save_bundle(window: str, target: str, progress: Any = None) -> str:
    """Write the support bundle; returns where it went."""
    from orion_server.support_bundle import parse_duration, write_bundle

    duration = parse_duration(window)
    if progress:
        progress(-1, tr("Collecting logs and settings…"))
    return str(write_bundle(duration, Path(target)))


class LogsTableModel(QAbstractTableModel):
    """Log records, oldest first, at most MAX_ROWS."""

    COLUMNS = ("Time", "Level", "Source", "Message")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.records: list[dict[str, Any]] = []

    def clear(self) -> None:
        self.beginResetModel()
        self.records = []
        self.endResetModel()

    def append(self, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        overflow = len(self.records) + len(rows) - MAX_ROWS
        if overflow > 0:
            drop = min(overflow, len(self.records))
            if drop:
                self.beginRemoveRows(QModelIndex(), 0, drop - 1)
                del self.records[:drop]
                self.endRemoveRows()
            rows = rows[-MAX_ROWS:]
        first = len(self.records)
        self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
        self.records.extend(rows)
        self.endInsertRows()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.records)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.COLUMNS):
            return tr(self.COLUMNS[section])
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.records):
            return None
        record = self.records[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return _local_time(record.get("ts") or "")
            if column == 1:
                return record.get("level") or ""
            if column == 2:
                return record.get("source") or ""
            if column == 3:
                return (record.get("message") or "").splitlines()[0] if record.get("message") else ""
        if role == Qt.ItemDataRole.ToolTipRole and column == 3:
            text = record.get("message") or ""
            if record.get("exception"):
                text += "\n\n" + record["exception"]
            where = " · ".join(part for part in (record.get("platform"), record.get("store")) if part)
            origin = f"{record.get('logger')} ({record.get('process')} {record.get('pid')})"
            return f"{origin} {where}\n{text}" if where else f"{origin}\n{text}"
        if role == Qt.ItemDataRole.ForegroundRole and column == 1:
            from orion_desktop.qt import QColor

            colour = LEVEL_COLOURS.get(record.get("level") or "")
            return QColor(colour) if colour else None
        return None


def _local_time(ts: str) -> str:
    try:
        return datetime.fromisoformat(ts).astimezone().strftime("%Y-%m-%d %H:%M:%S")
    except ValueError:
        return ts


class LogsViewModel(QObject):
    """Records of logs.db as they arrive, filtered; and the support bundle export."""

    records_added = Signal(int)
    sources_changed = Signal()
    bundle_previewed = Signal(list)
    bundle_saved = Signal(str)
    failed = Signal(object)  # Failure of a bundle action
    tail_failed = Signal(object)  # Failure of a read (shown quietly: the next poll may work)

    def __init__(self, runner: OperationRunner, parent: QObject | None = None, *,
                 path: Path | None = None, poll_ms: int = 1000) -> None:
        super().__init__(parent)
        self.runner = runner
        self._path = path
        self.filters = LogFilters()
        self.table = LogsTableModel(self)
        self.last_id = 0
        self.sources: list[str] = []
        self._generation = 0
        self._busy = False
        self._first = True
        self._timer = QTimer(self)
        self._timer.setInterval(poll_ms)
        self._timer.timeout.connect(self.poll)

    @property
    def path(self) -> Path:
        return self._path or logs_path()

    def start(self) -> None:
        """Begin tailing (poll now, then every interval)."""
        self.poll()
        self._timer.start()

    def pause(self) -> None:
        self._timer.stop()

    def set_filters(self, *, min_level: str | None = None, source: str | None = None, text: str | None = None) -> None:
        """Change what is shown; the records are read again."""
        self.filters = LogFilters(
            min_level=self.filters.min_level if min_level is None else min_level,
            source=self.filters.source if source is None else source,
            text=self.filters.text if text is None else text.strip(),
        )
        self._generation += 1
        self._busy = False
        self._first = True
        self.last_id = 0
        self.table.clear()
        self.poll()

    def poll(self) -> None:
        """Read the records that arrived since the last read."""
        if self._busy:
            return
        self._busy = True
        generation = self._generation
        self.runner.run(fetch_records, self.path, self.filters, self.last_id, self._first,
                        label="", on_success=lambda rows: self._received(generation, rows),
                        on_failure=lambda failure: self._poll_failed(generation, failure))

    def _received(self, generation: int, rows: list[dict[str, Any]]) -> None:
        if generation != self._generation:
            return
        self._busy = False
        self._first = False
        if rows:
            self.last_id = rows[-1]["id"]
            self.table.append(rows)
            new_sources = sorted({*self.sources, *(r.get("source") or "" for r in rows)} - {""})
            if new_sources != self.sources:
                self.sources = new_sources
                self.sources_changed.emit()
        self.records_added.emit(len(rows))

    def _poll_failed(self, generation: int, failure: Failure) -> None:
        if generation == self._generation:
            self._busy = False
            self.tail_failed.emit(failure)

    # -- support bundle -----------------------------------------------------------------------

    def preview_bundle(self, window: str = "24h") -> None:
        """Find out what the bundle will hold (emits bundle_previewed)."""
        self.runner.run(preview_bundle, window, label=tr("Preparing the support bundle"),
                        on_success=self.bundle_previewed.emit, on_failure=self.failed.emit)

    def save_bundle(self, window: str, target: str) -> None:
        """Write the bundle (emits bundle_saved with its path)."""
        self.runner.run(save_bundle, window, target, label=tr("Saving the support bundle"),
                        on_success=self.bundle_saved.emit, on_failure=self.failed.emit)
