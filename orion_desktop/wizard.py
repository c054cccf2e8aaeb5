"""The first-run wizard: data folder, database, main platform, first admin, then the same set-up
``orion init`` performs (migrations, platform, admin), with a progress bar.

The choice of data folder and database is saved in the console settings once the set-up worked,
and put in the environment (``ORION_DATA_DIR``, ``ORION_DATABASE_URL``) where the server settings
and the server child process read it.
"""

from __future__ import annotations

import os
from dataclasses import replace
from typing import TYPE_CHECKING

from orion_desktop.dialogs import ERROR_STYLE, HINT_STYLE, FormFields, language_combo
from orion_desktop.installation import (
    check_database_url,
    data_folder_problem,
    default_data_dir,
    is_orion_folder,
    set_up_installation,
)
from orion_desktop.operations import Failure, Operation, OperationRunner
from orion_desktop.qt import (
    QButtonGroup,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QStyle,
    Qt,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
    Signal,
)
from orion_desktop.settings import (
    ENVIRONMENT,
    ConsoleSettings,
    apply_environment,
    load_settings,
    reload_server_settings,
    save_settings,
)
from orion_desktop.strings import current_language, tr
from orion_desktop.viewmodels.platforms import problem_message, sentence

if TYPE_CHECKING:
    from orion_server.setup import SetupResult
from orion_desktop.widgets import SPACING, show_failure

FOLDER, DATABASE, PLATFORM, ADMIN, PROGRESS = range(5)


def _status_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def _say(label: QLabel, text: str, *, problem: bool = False) -> None:
    label.setText(text)
    label.setStyleSheet(ERROR_STYLE if problem else HINT_STYLE)


class DataFolderPage(QWizardPage):
    """Where Orion keeps its data: the per-user folder by default, any writable folder that is
    empty or already Orion's."""

    def __init__(self, initial: str) -> None:
        super().__init__()
        self.setTitle(tr("Where Orion keeps its data"))
        self.setSubTitle(tr("The database, the secret key, uploaded files and the logs go into this folder. "
                            "The suggested folder suits one person on this computer."))
        layout = QVBoxLayout(self)
        layout.setSpacing(SPACING)
        row = QHBoxLayout()
        self.folder = QLineEdit(initial)
        self.folder.setObjectName("dataFolder")
        self.choose = QPushButton(self.style().standardIcon(QStyle.StandardPixmap.SP_DirOpenIcon), tr("Choose…"))
        row.addWidget(self.folder, 1)
        row.addWidget(self.choose)
        layout.addWidget(QLabel(tr("Data folder")))
        layout.addLayout(row)
        self.status = _status_label()
        layout.addWidget(self.status)
        layout.addStretch(1)
        self.folder.textChanged.connect(lambda _text: self._check())
        self.choose.clicked.connect(self._browse)
        self._check()

    def _browse(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, tr("Choose the data folder"), self.folder.text())
        if chosen:
            self.folder.setText(chosen)

    def _check(self) -> None:
        problem = data_folder_problem(self.folder.text())
        if problem:
            _say(self.status, problem, problem=True)
        elif is_orion_folder(self.folder.text()):
            _say(self.status, tr("This folder already holds Orion data: the set-up keeps it and adds only what is "
                                 "missing."))
        else:
            _say(self.status, tr("Orion will create its database here."))
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802 - Qt's name
        return data_folder_problem(self.folder.text()) is None

    @property
    def chosen(self) -> str:
        return os.path.abspath(os.path.expanduser(self.folder.text().strip()))


class DatabasePage(QWizardPage):
    """SQLite in the data folder (the default) or a PostgreSQL server, tested before going on."""

    def __init__(self, runner: OperationRunner, initial_url: str) -> None:
        super().__init__()
        self.runner = runner
        self.tested_url = ""
        self.tested_ok = False
        self.setTitle(tr("Which database Orion uses"))
        self.setSubTitle(tr("A database file in the data folder needs nothing else. Choose PostgreSQL when "
                            "several computers or workers share one installation."))
        layout = QVBoxLayout(self)
        layout.setSpacing(SPACING)
        self.sqlite = QRadioButton(tr("A database file in the data folder (SQLite, recommended)"))
        self.postgresql = QRadioButton(tr("A PostgreSQL server"))
        group = QButtonGroup(self)
        group.addButton(self.sqlite)
        group.addButton(self.postgresql)
        layout.addWidget(self.sqlite)
        layout.addWidget(self.postgresql)
        self.url = QLineEdit(initial_url)
        self.url.setObjectName("databaseUrl")
        self.url.setPlaceholderText("postgresql+psycopg://user:password@localhost:5432/orion")
        self.test = QPushButton(self.style().standardIcon(QStyle.StandardPixmap.SP_BrowserReload),
                                tr("Test connection"))
        row = QHBoxLayout()
        row.setContentsMargins(24, 0, 0, 0)
        row.addWidget(self.url, 1)
        row.addWidget(self.test)
        layout.addLayout(row)
        self.result = _status_label()
        self.result.setContentsMargins(24, 0, 0, 0)
        layout.addWidget(self.result)
        layout.addStretch(1)
        (self.postgresql if initial_url.startswith("postgresql") else self.sqlite).setChecked(True)
        self.sqlite.toggled.connect(lambda _on: self._mode_changed())
        self.url.textChanged.connect(lambda _text: self._mode_changed())
        self.test.clicked.connect(self.run_test)
        self.operation: Operation | None = None
        self._mode_changed()

    @property
    def database_url(self) -> str:
        """The URL chosen ("" for SQLite in the data folder)."""
        return self.url.text().strip() if self.postgresql.isChecked() else ""

    def _mode_changed(self) -> None:
        on = self.postgresql.isChecked()
        self.url.setEnabled(on)
        self.test.setEnabled(on and bool(self.url.text().strip()) and self.operation is None)
        if not on:
            _say(self.result, "")
        elif self.url.text().strip() != self.tested_url:
            _say(self.result, tr("Test the connection to go on."))
        self.completeChanged.emit()

    def run_test(self) -> None:
        """Try the URL off the UI thread; the result arrives as a sentence."""
        url = self.url.text().strip()
        self.test.setEnabled(False)
        _say(self.result, tr("Testing the connection…"))
        self.operation = self.runner.run(check_database_url, url, label=tr("Testing the database connection"),
                                         on_success=lambda check: self._tested(url, check),
                                         on_failure=lambda failure: self._tested(url, None, failure))

    def _tested(self, url: str, check, failure: Failure | None = None) -> None:
        self.operation = None
        self.tested_url = url
        self.tested_ok = bool(check and check.ok)
        message = check.message if check else failure.message if failure else ""
        if url == self.url.text().strip():
            _say(self.result, message, problem=not self.tested_ok)
        self._mode_changed()

    def isComplete(self) -> bool:  # noqa: N802 - Qt's name
        if self.sqlite.isChecked():
            return True
        return self.tested_ok and self.tested_url == self.url.text().strip()


class PlatformPage(QWizardPage):
    """The main platform: the one served at the root address."""

    def __init__(self, code: str) -> None:
        super().__init__()
        self.setTitle(tr("The main platform"))
        self.setSubTitle(tr("A platform groups stores under one address and one look. The main platform is the "
                            "one Orion serves first; you can add more later."))
        layout = QVBoxLayout(self)
        self.form_error = QLabel()
        self.form_error.setVisible(False)
        layout.addWidget(self.form_error)
        form = QFormLayout()
        form.setSpacing(SPACING)
        layout.addLayout(form)
        layout.addStretch(1)
        self.fields = FormFields(form, self.form_error)
        self.code = QLineEdit(code)
        self.name = QLineEdit("Orion")
        self.default_language = language_combo(current_language() if current_language() != "en" else "fr")
        self.fields.add("code", tr("Code"), self.code,
                        tr("Lowercase letters, digits and hyphens; it appears in addresses and cannot change later."))
        self.fields.add("name", tr("Name"), self.name, tr("Shown to customers, for example your company's name."))
        self.fields.add("default_language", tr("Default language"), self.default_language)

    def validatePage(self) -> bool:  # noqa: N802 - Qt's name
        from orion_server.slugs import RESERVED_CODES, code_problem

        errors: dict[str, str] = {}
        code = self.code.text().strip().lower()
        if message := code_problem(code):
            reason = "required" if not code else "reserved" if code in RESERVED_CODES else "format"
            errors["code"] = problem_message(message, f"tenancy.errors.code_{reason}", {"value": code})
        if not self.name.text().strip():
            errors["name"] = problem_message("a name is required", "tenancy.errors.name_required")
        self.fields.show_errors(errors)
        self.form_error.setVisible(False)
        return not errors


class AdminPage(QWizardPage):
    """The first admin account, who signs in to the web admin."""

    def __init__(self) -> None:
        from orion_server.auth.passwords import MIN_PASSWORD_LENGTH

        super().__init__()
        self.setTitle(tr("The first admin"))
        self.setSubTitle(tr("This account signs in to the web admin and can manage everything. Keep the "
                            "password somewhere safe."))
        layout = QVBoxLayout(self)
        self.form_error = QLabel()
        self.form_error.setVisible(False)
        layout.addWidget(self.form_error)
        form = QFormLayout()
        form.setSpacing(SPACING)
        layout.addLayout(form)
        layout.addStretch(1)
        self.fields = FormFields(form, self.form_error)
        self.email = QLineEdit()
        self.email.setPlaceholderText("admin@example.lu")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat = QLineEdit()
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.fields.add("email", tr("E-mail address"), self.email)
        self.fields.add("password", tr("Password"), self.password,
                        tr("At least {count} characters. A few unusual words make a strong password.",
                           count=MIN_PASSWORD_LENGTH))
        self.fields.add("repeat", tr("Password again"), self.repeat)
        self.setButtonText(QWizard.WizardButton.NextButton, tr("Set up Orion"))

    def validatePage(self) -> bool:  # noqa: N802 - Qt's name
        from orion_server.accounts import normalise_email
        from orion_server.auth.passwords import password_problem
        from orion_server.errors import ValidationError

        errors: dict[str, str] = {}
        try:
            normalise_email(self.email.text())
        except ValidationError as exc:
            errors["email"] = tr(sentence(exc.message))
        if problem := password_problem(self.password.text()):
            errors["password"] = tr(sentence(problem))
        elif self.password.text() != self.repeat.text():
            errors["repeat"] = tr("The two passwords differ. Type the same password twice.")
        self.fields.show_errors(errors)
        self.form_error.setVisible(False)
        return not errors


class ProgressPage(QWizardPage):
    """Runs the set-up with a progress bar; a failure is a sentence, its details a click away."""

    def __init__(self) -> None:
        super().__init__()
        self.setTitle(tr("Setting up Orion"))
        self.setSubTitle(tr("Orion prepares the database, then creates the main platform and the first admin."))
        self.setFinalPage(True)
        layout = QVBoxLayout(self)
        layout.setSpacing(SPACING)
        self.bar = QProgressBar()
        self.bar.setRange(0, 100)
        layout.addWidget(self.bar)
        self.step = _status_label()
        layout.addWidget(self.step)
        self.message = _status_label()
        self.message.setObjectName("setupMessage")
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        self.details = QPushButton(tr("Show details…"))
        self.retry = QPushButton(self.style().standardIcon(QStyle.StandardPixmap.SP_BrowserReload), tr("Try again"))
        self.change = QPushButton(self.style().standardIcon(QStyle.StandardPixmap.SP_ArrowBack),
                                  tr("Change the answers"))
        for button in (self.details, self.retry, self.change):
            button.setVisible(False)
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addStretch(1)
        self.details.clicked.connect(lambda: self.failure and show_failure(self, self.failure, tr("Set up Orion")))
        self.retry.clicked.connect(self.start)
        self.change.clicked.connect(lambda: self.wizard().back())
        self.running = False
        self.done = False
        self.failure: Failure | None = None
        self.operation: Operation | None = None

    def initializePage(self) -> None:  # noqa: N802 - Qt's name
        self.start()

    def start(self) -> None:
        wizard: SetupWizard = self.wizard()  # type: ignore[assignment]
        self.running, self.done, self.failure = True, False, None
        for button in (self.details, self.retry, self.change):
            button.setVisible(False)
        _say(self.message, "")
        self.bar.setValue(0)
        self.step.setText(tr("Starting…"))
        wizard.button(QWizard.WizardButton.CancelButton).setEnabled(False)
        wizard.apply_choice()
        self.operation = wizard.runner.run(
            set_up_installation,
            platform_name=wizard.platform_page.name.text().strip(),
            default_language=wizard.platform_page.default_language.currentData(),
            admin_email=wizard.admin_page.email.text(),
            admin_password=wizard.admin_page.password.text(),
            label=tr("Setting up Orion"),
            on_success=self._succeeded,
            on_failure=self._failed,
        )
        self.operation.progressed.connect(self._progressed)
        self.completeChanged.emit()

    def _progressed(self, percent: int, text: str) -> None:
        if percent >= 0:
            self.bar.setValue(percent)
        self.step.setText(text + ("…" if percent < 100 else "."))

    def _succeeded(self, result: SetupResult) -> None:
        wizard: SetupWizard = self.wizard()  # type: ignore[assignment]
        self.running, self.done, self.operation = False, True, None
        self.bar.setValue(100)
        wizard.setup_done(result)
        admin = (tr("Sign in to the web admin as {email}.", email=result.admin_email) if result.admin_created
                 else tr("The admin {email} was already there and was kept.", email=result.admin_email))
        self.message.setText(tr("Orion is ready in {folder}.", folder=result.data_dir) + " " + admin)
        self.message.setStyleSheet("color: #1a7f37; font-size: 14px; font-weight: 600;")
        self.step.setText(tr("Done: {count} migrations applied.", count=result.migrations))
        wizard.setOption(QWizard.WizardOption.NoCancelButton, True)  # nothing left to cancel
        self.completeChanged.emit()

    def _failed(self, failure: Failure) -> None:
        self.running, self.done, self.operation, self.failure = False, False, None, failure
        self.step.setText(tr("The set-up stopped."))
        _say(self.message, failure.message, problem=True)
        self.details.setVisible(bool(failure.details))
        self.retry.setVisible(True)
        self.change.setVisible(True)
        self.wizard().button(QWizard.WizardButton.CancelButton).setEnabled(True)
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802 - Qt's name
        return self.done


class SetupWizard(QWizard):
    """Sets up Orion on first run; ``accepted`` once the installation is ready."""

    setup_finished = Signal(object)  # SetupResult

    def __init__(self, runner: OperationRunner, settings: ConsoleSettings | None = None,
                 parent: QWidget | None = None, *, settings_path=None) -> None:
        from orion_server.config import get_settings

        super().__init__(parent)
        self.runner = runner
        self.settings_path = settings_path
        self.console_settings = settings or load_settings(settings_path)
        self.setup_result: SetupResult | None = None
        self._environment = {name: os.environ.get(name) for name in ENVIRONMENT.values()}
        try:
            server = get_settings()
            folder, main_code = str(server.data_dir), server.main_platform_code
            url = server.database_url if server.database_url.startswith("postgresql") else ""
        except Exception:  # broken settings: start from the defaults
            folder, main_code, url = default_data_dir(), "main", ""
        self.setWindowTitle(tr("Set up Orion"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.DisabledBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        for button, text in ((QWizard.WizardButton.BackButton, tr("Back")),
                             (QWizard.WizardButton.NextButton, tr("Next")),
                             (QWizard.WizardButton.FinishButton, tr("Open the console")),
                             (QWizard.WizardButton.CancelButton, tr("Cancel"))):
            self.setButtonText(button, text)
        self.folder_page = DataFolderPage(self.console_settings.data_dir or folder)
        self.database_page = DatabasePage(runner, self.console_settings.database_url or url)
        self.platform_page = PlatformPage(self.console_settings.main_platform_code or main_code)
        self.admin_page = AdminPage()
        self.progress_page = ProgressPage()
        for page_id, page in ((FOLDER, self.folder_page), (DATABASE, self.database_page),
                              (PLATFORM, self.platform_page), (ADMIN, self.admin_page),
                              (PROGRESS, self.progress_page)):
            self.setPage(page_id, page)
        self.resize(760, 560)

    def choice(self) -> ConsoleSettings:
        """The console settings with the installation chosen in the wizard."""
        return replace(self.console_settings, data_dir=self.folder_page.chosen,
                       database_url=self.database_page.database_url,
                       main_platform_code=self.platform_page.code.text().strip().lower())

    def apply_choice(self) -> None:
        """Point this process (and the server it starts later) at the chosen installation."""
        apply_environment(self.choice(), override=True)

    def setup_done(self, result: SetupResult) -> None:
        """Keep the choice for the next launches."""
        self.setup_result = result
        chosen = self.choice()
        for name in ENVIRONMENT:  # in place: the Settings page shares this object and saves it too
            setattr(self.console_settings, name, getattr(chosen, name))
        save_settings(self.console_settings, self.settings_path)
        self.setup_finished.emit(result)

    def reject(self) -> None:
        """Cancel: stop a running set-up and give the process back its earlier installation."""
        if self.progress_page.running:
            return
        if self.setup_result is None:
            for name, value in self._environment.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
            reload_server_settings()
        super().reject()
