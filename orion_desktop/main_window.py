"""The console's main window: a sidebar of pages, shortcuts, the busy indicator, first-run advice."""

from __future__ import annotations

from orion_desktop.installation import InstallationState, read_installation_state
from orion_desktop.operations import Failure, OperationRunner
from orion_desktop.pages.database_page import DatabasePage, ask_with_dialog
from orion_desktop.pages.logs_page import LogsPage
from orion_desktop.pages.modules_page import ModulesPage, confirm_with_dialog
from orion_desktop.pages.platforms_page import PlatformsPage
from orion_desktop.pages.server_page import ServerPage
from orion_desktop.pages.settings_page import SettingsPage
from orion_desktop.qt import (
    QAction,
    QHBoxLayout,
    QKeySequence,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSize,
    QStackedWidget,
    QStyle,
    Qt,
    QWidget,
)
from orion_desktop.settings import load_settings
from orion_desktop.strings import tr
from orion_desktop.tray import ConsoleTray, app_icon
from orion_desktop.viewmodels.database import DatabaseViewModel
from orion_desktop.viewmodels.logs import LogsViewModel
from orion_desktop.viewmodels.modules import ModulesViewModel
from orion_desktop.viewmodels.platforms import PlatformsViewModel
from orion_desktop.viewmodels.server import ServerViewModel
from orion_desktop.widgets import empty_state, page_layout, show_failure

PAGES = ("server", "platforms", "modules", "database", "logs", "settings")


class MainWindow(QMainWindow):
    """The console: Server, Platforms & stores, Modules, Logs."""

    def __init__(self, runner: OperationRunner | None = None, *, ask_on_quit: bool = True) -> None:
        super().__init__()
        self.setWindowTitle(tr("Orion console"))
        self.setWindowIcon(app_icon())
        self.resize(1100, 720)
        self.ask_on_quit = ask_on_quit
        self.runner = runner or OperationRunner(self)
        self.installation: InstallationState | None = None
        self.server = ServerViewModel(self.runner, parent=self)
        self.platforms = PlatformsViewModel(self.runner, self)
        self.platforms.server = self.server  # storefront addresses as the Server page shows them
        self.console_settings = load_settings()
        self.offer_setup = False  # open the set-up wizard by itself when Orion is not set up (launch)
        self.modules = ModulesViewModel(self.runner, confirm_with_dialog(self), self)
        self.logs = LogsViewModel(self.runner, self)
        self.database = DatabaseViewModel(self.runner, self.server, ask_with_dialog(self), self)
        self.database.changed.connect(self._database_changed)

        self.sidebar = QListWidget()
        self.sidebar.setObjectName("sidebar")
        self.sidebar.setFixedWidth(210)
        self.sidebar.setIconSize(QSize(20, 20))
        self.sidebar.setStyleSheet("QListWidget#sidebar { border: none; padding-top: 12px; } "
                                   "QListWidget#sidebar::item { padding: 10px 12px; }")
        style = self.style()
        for title, icon in (
            (tr("Server"), QStyle.StandardPixmap.SP_ComputerIcon),
            (tr("Platforms & stores"), QStyle.StandardPixmap.SP_DirHomeIcon),
            (tr("Modules"), QStyle.StandardPixmap.SP_FileDialogDetailedView),
            (tr("Database"), QStyle.StandardPixmap.SP_DriveHDIcon),
            (tr("Logs"), QStyle.StandardPixmap.SP_FileDialogContentsView),
            (tr("Settings"), QStyle.StandardPixmap.SP_FileDialogInfoView),
        ):
            QListWidgetItem(style.standardIcon(icon), title, self.sidebar)
        self.stack = QStackedWidget()
        self.pages = {
            "server": ServerPage(self.server),
            "platforms": PlatformsPage(self.platforms),
            "modules": ModulesPage(self.modules),
            "database": DatabasePage(self.database),
            "logs": LogsPage(self.logs),
            "settings": SettingsPage(self.console_settings),
        }
        for name in PAGES:
            self.stack.addWidget(self.pages[name])
        self.setup_page = QWidget()
        setup_layout = page_layout(self.setup_page, tr("Set up Orion first"))
        self.setup_text = empty_state("")
        setup_layout.addWidget(self.setup_text, 1)
        self.setup_button = QPushButton(style.standardIcon(QStyle.StandardPixmap.SP_DialogOkButton),
                                        tr("Set up Orion…"))
        self.setup_button.setShortcut(QKeySequence("Ctrl+Shift+S"))
        self.setup_button.clicked.connect(self.open_setup_wizard)
        setup_layout.addWidget(self.setup_button, 0, Qt.AlignmentFlag.AlignHCenter)
        setup_layout.addStretch(1)
        self.stack.addWidget(self.setup_page)

        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.sidebar)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(120)
        self.busy.setVisible(False)
        self.busy_label = QLabel()
        self.statusBar().addPermanentWidget(self.busy_label)
        self.statusBar().addPermanentWidget(self.busy)
        self.server_label = QLabel()
        self.statusBar().addWidget(self.server_label)

        self.start_action = QAction(tr("Start server"), self)
        self.start_action.setShortcut(QKeySequence("Ctrl+R"))
        self.start_action.triggered.connect(self.server.start)
        self.stop_action = QAction(tr("Stop server"), self)
        self.stop_action.setShortcut(QKeySequence("Ctrl+."))
        self.stop_action.triggered.connect(self.server.stop)
        for action in (self.start_action, self.stop_action):
            action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
            self.addAction(action)
        self.about_action = QAction(tr("About Orion…"), self)
        self.about_action.triggered.connect(self.open_about)
        self.menuBar().addMenu(tr("Help")).addAction(self.about_action)

        self.sidebar.currentRowChanged.connect(self.show_page)
        self.runner.busy_changed.connect(self._busy)
        self.runner.started.connect(self._operation_started)
        self.runner.failure_reported.connect(lambda failure: show_failure(self, failure))
        self.server.changed.connect(self._server_changed)
        self.modules.change_applied.connect(lambda _changed: self.platforms.load())
        self.tray = ConsoleTray(self)  # tray icon where the desktop has one; Ctrl+Q quits
        self._server_changed()
        self.sidebar.setCurrentRow(0)

    # -- set-up -----------------------------------------------------------------------------------

    def check_installation(self) -> None:
        """Read whether Orion is set up; load the pages when it is, else say how to set it up."""
        self.runner.run(read_installation_state, label=tr("Opening the database"),
                        on_success=self._installation_read, on_failure=self._installation_failed)

    def _installation_read(self, state: InstallationState) -> None:
        self.installation = state
        self.setWindowTitle(tr("Orion console — {folder}", folder=state.data_dir))
        if state.pending:
            # Orion was updated: only the Database page is safe to show until it is upgraded.
            self.start_action.setEnabled(False)
            self.pages["server"].start_button.setEnabled(False)
            self.database.start()
            self.stack.setCurrentWidget(self.pages["database"])
            self.statusBar().showMessage(state.problem)
            return
        if not state.initialised:
            self.setup_text.setText(state.problem)
            self.stack.setCurrentWidget(self.setup_page)
            self.start_action.setEnabled(False)
            self.pages["server"].start_button.setEnabled(False)
            if self.offer_setup:
                self.offer_setup = False
                self.open_setup_wizard()
            return
        self.start_action.setEnabled(True)
        if self.console_settings.start_server and self.server.can_start:
            self.server.start()  # the operator asked for it in Settings
        self.server.load_storefronts()
        self.platforms.load()
        self.modules.load()
        self.logs.start()
        self.database.start()  # its state, and the daily backup when due
        self.show_page(self.sidebar.currentRow())

    def _database_changed(self) -> None:
        """After an upgrade from the Database page, load the other pages again."""
        if self.installation is not None and self.installation.pending and not self.database.behind:
            self.statusBar().clearMessage()
            self.check_installation()

    def open_about(self) -> None:
        """Help → About Orion: the version and what this console manages."""
        from orion_desktop.about import AboutDialog

        state = self.installation
        self.about = AboutDialog(self, data_dir=state.data_dir if state else "",
                                 database=state.database if state else "")
        self.about.open()

    def open_setup_wizard(self) -> None:
        """The first-run wizard; the pages load once it has set Orion up."""
        from orion_desktop.wizard import SetupWizard

        self.wizard = SetupWizard(self.runner, self.console_settings, self)
        self.wizard.accepted.connect(self.check_installation)
        self.wizard.open()

    def _installation_failed(self, failure: Failure) -> None:
        self._installation_read(InstallationState("", "", False, failure.message))

    @property
    def initialised(self) -> bool:
        return bool(self.installation and self.installation.initialised)

    # -- navigation and status ------------------------------------------------------------------

    def show_page(self, row: int) -> None:
        """Show the page of sidebar row ``row`` (the set-up advice while Orion is not set up)."""
        if self.installation is not None and self.installation.pending:
            self.stack.setCurrentWidget(self.pages["database"])
            return
        if self.installation is not None and not self.initialised:
            self.stack.setCurrentWidget(self.setup_page)
            return
        if 0 <= row < len(PAGES):
            self.stack.setCurrentWidget(self.pages[PAGES[row]])
            if PAGES[row] == "server" and self.initialised:
                self.server.load_storefronts()

    def select(self, name: str) -> None:
        """Switch to the page called ``name``."""
        self.sidebar.setCurrentRow(PAGES.index(name))

    def _busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        if not busy:
            self.busy_label.clear()

    def _operation_started(self, operation) -> None:
        if operation.label:
            self.busy_label.setText(operation.label + "…")

    def _server_changed(self) -> None:
        self.server_label.setText(tr("Server: {state}", state=self.server.status_title))
        self.start_action.setEnabled(self.server.can_start and self.initialised)
        self.stop_action.setEnabled(self.server.can_stop)
        if self.installation is not None and not self.initialised:
            self.pages["server"].start_button.setEnabled(False)

    def bring_forward(self) -> None:
        """Show the window on top (a second launch asked for it)."""
        self.setWindowState((self.windowState() & ~Qt.WindowState.WindowMinimized) | Qt.WindowState.WindowActive)
        self.show()
        self.raise_()
        self.activateWindow()

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if self.tray.intercept_close(event):  # hidden to the tray, the server keeps running
            return
        if self.server.can_stop and self.ask_on_quit:
            answer = QMessageBox.question(
                self, tr("Quit"), tr("The server is running. Stop it and quit?"),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
        self.logs.pause()
        self.server.stop()
        self.runner.shutdown()
        super().closeEvent(event)
