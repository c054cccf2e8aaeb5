"""The Modules page: a platform's modules by tier, toggled after the cascade is confirmed."""

from __future__ import annotations

from orion_desktop.qt import QComboBox, QHBoxLayout, QHeaderView, QLabel, QMessageBox, QWidget
from orion_desktop.strings import tr
from orion_desktop.viewmodels.modules import CascadeQuestion, ModulesViewModel
from orion_desktop.widgets import empty_state, page_layout, show_failure, table_view


def confirm_with_dialog(parent: QWidget):
    """A confirm callback that asks with a modal dialog."""

    def confirm(question: CascadeQuestion) -> bool:
        verb = tr("Enable") if question.action == "enable" else tr("Disable")
        answer = QMessageBox.question(
            parent, tr("{verb} module", verb=verb), question.text,
            QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Ok

    return confirm


class ModulesPage(QWidget):
    """Shows a ModulesViewModel."""

    def __init__(self, model: ModulesViewModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        layout = page_layout(self, tr("Modules"), tr(
            "Choose what each platform offers. Turning a module on also turns on what it needs; "
            "you see the whole change before it happens. A running server follows within a second."))
        row = QHBoxLayout()
        row.addWidget(QLabel(tr("Platform")))
        self.platform = QComboBox()
        self.platform.setMinimumWidth(220)
        row.addWidget(self.platform)
        row.addStretch(1)
        layout.addLayout(row)
        self.view = table_view()
        self.view.setModel(model.table)
        self.view.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.view.horizontalHeader().setStretchLastSection(False)
        layout.addWidget(self.view, 1)
        self.empty = empty_state(tr("There is no platform yet. Run `orion init` to create the main platform."))
        layout.addWidget(self.empty, 1)
        self.platform.currentIndexChanged.connect(self._platform_chosen)
        model.platforms_changed.connect(self._fill_platforms)
        model.modules_changed.connect(self._show_modules)
        model.failed.connect(lambda failure: show_failure(self, failure, tr("Modules")))
        self._fill_platforms()
        self._show_modules()

    def _fill_platforms(self) -> None:
        self.platform.blockSignals(True)
        self.platform.clear()
        for choice in self.model.platforms:
            self.platform.addItem(f"{choice.name} ({choice.code})", choice.code)
        codes = [p.code for p in self.model.platforms]
        if self.model.platform_code in codes:
            self.platform.setCurrentIndex(codes.index(self.model.platform_code))
        self.platform.blockSignals(False)

    def _platform_chosen(self, index: int) -> None:
        if index >= 0:
            self.model.choose_platform(self.platform.itemData(index))

    def _show_modules(self) -> None:
        table = self.model.table
        self.view.clearSpans()
        for row in range(table.rowCount()):
            if table.module_at(row) is None:
                self.view.setSpan(row, 0, 1, table.columnCount())
        self.view.resizeColumnToContents(0)
        self.view.resizeColumnToContents(2)
        self.view.resizeColumnToContents(table.SWITCH)
        has_platform = bool(self.model.platforms)
        self.view.setVisible(has_platform)
        self.platform.setEnabled(has_platform)
        self.empty.setVisible(not has_platform)
