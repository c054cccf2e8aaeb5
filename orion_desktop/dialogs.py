"""Create and edit dialogs for platforms and stores.

The tenancy service decides what is valid: a dialog sends what was typed, and shows each message
the service returns next to its field, keeping the input so the operator only fixes what is wrong.
"""

from __future__ import annotations

from typing import Any

from orion_desktop.qt import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)
from orion_desktop.strings import tr
from orion_desktop.viewmodels.platforms import (
    PlatformRow,
    PlatformsViewModel,
    SaveOutcome,
    StoreRow,
)
from orion_desktop.widgets import MARGIN, SPACING

ERROR_STYLE = "color: #cf222e;"
HINT_STYLE = "color: #57606a;"


def language_names() -> dict[str, str]:
    """Language code -> its name in that language (en, de, fr, lb)."""
    from orion_server.config import LANGUAGE_NAMES, SUPPORTED_LANGUAGES

    return {code: LANGUAGE_NAMES[code] for code in SUPPORTED_LANGUAGES}


def language_combo(selected: str = "") -> QComboBox:
    """A choice of the supported languages, by their own names."""
    combo = QComboBox()
    for code, name in language_names().items():
        combo.addItem(f"{name} ({code})", code)
    index = combo.findData(selected)
    combo.setCurrentIndex(max(index, 0))
    return combo


class FormFields:
    """A form whose rows carry a message line under the input, and one line for the whole form."""

    def __init__(self, layout: QFormLayout, form_error: QLabel) -> None:
        self.layout = layout
        self.form_error = form_error
        self.widgets: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}
        self.aliases: dict[str, str] = {}

    def add(self, name: str, label: str, widget: QWidget, hint: str = "", *, aliases: tuple[str, ...] = ()) -> QWidget:
        """A row for field ``name`` (the service's field name); ``aliases`` are other names of it."""
        column = QWidget()
        box = QVBoxLayout(column)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(4)
        box.addWidget(widget)
        if hint:
            hint_label = QLabel(hint)
            hint_label.setWordWrap(True)
            hint_label.setStyleSheet(HINT_STYLE)
            box.addWidget(hint_label)
        error = QLabel()
        error.setObjectName(f"error_{name}")
        error.setWordWrap(True)
        error.setStyleSheet(ERROR_STYLE)
        error.setVisible(False)
        box.addWidget(error)
        self.layout.addRow(label, column)
        self.widgets[name] = widget
        self.errors[name] = error
        for alias in aliases:
            self.aliases[alias] = name
        return widget

    def show_errors(self, errors: dict[str, str]) -> None:
        """Show each message next to its field (messages of other fields above the form)."""
        general: list[str] = []
        for label in self.errors.values():
            label.clear()
            label.setVisible(False)
        first: QWidget | None = None
        for name, message in errors.items():
            name = self.aliases.get(name, name)
            if name in self.errors:
                self.errors[name].setText(message)
                self.errors[name].setVisible(True)
                first = first or self.widgets[name]
            else:
                general.append(message)
        self.form_error.setText("\n".join(general) or (tr("Please correct the fields marked below.") if errors else ""))
        self.form_error.setVisible(bool(errors))
        if first is not None:
            first.setFocus()

    def error(self, name: str) -> str:
        """The message shown next to field ``name`` ("" when none)."""
        label = self.errors[name]
        return "" if label.isHidden() else label.text()


class _FormDialog(QDialog):
    """A dialog with a form, a message line above it, and Save/Cancel."""

    def __init__(self, title: str, save_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._save_text = save_text
        self.setWindowTitle(title)
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(MARGIN, MARGIN, MARGIN, MARGIN)
        layout.setSpacing(SPACING)
        heading = QLabel(title)
        heading.setStyleSheet("font-size: 18px; font-weight: 600;")
        layout.addWidget(heading)
        self.form_error = QLabel()
        self.form_error.setObjectName("formError")
        self.form_error.setWordWrap(True)
        self.form_error.setStyleSheet(ERROR_STYLE + " font-weight: 600;")
        self.form_error.setVisible(False)
        layout.addWidget(self.form_error)
        form = QFormLayout()
        form.setSpacing(SPACING)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        layout.addLayout(form)
        self.fields = FormFields(form, self.form_error)
        layout.addStretch(1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(save_text)
        self.save_button.setDefault(True)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Cancel"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.outcome: SaveOutcome | None = None

    def save(self) -> None:  # pragma: no cover - each dialog has its own
        raise NotImplementedError

    def _saving(self, busy: bool) -> None:
        self.save_button.setEnabled(not busy)
        self.save_button.setText(tr("Saving…") if busy else self._save_text)

    def _done(self, outcome: SaveOutcome) -> None:
        self.outcome = outcome
        self._saving(False)
        if outcome.ok:
            self.accept()
        else:
            self.fields.show_errors(outcome.errors)


class PlatformDialog(_FormDialog):
    """Create a platform, or edit one (its code then stays as it is)."""

    def __init__(self, model: PlatformsViewModel, platform: PlatformRow | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(tr("New platform") if platform is None else tr("Edit platform {code}", code=platform.code),
                         tr("Create platform") if platform is None else tr("Save changes"), parent)
        self.model = model
        self.platform = platform
        self.code = QLineEdit(platform.code if platform else "")
        self.code.setPlaceholderText(tr("for example benelux"))
        self.code.setReadOnly(platform is not None)
        self.name = QLineEdit(platform.name if platform else "")
        self.domain = QLineEdit(platform.domain if platform else "")
        self.domain.setPlaceholderText(tr("for example shop.example.lu (optional)"))
        self.default_language = language_combo(platform.default_language if platform else "fr")
        self.fields.add("code", tr("Code"), self.code,
                        tr("Lowercase letters, digits and hyphens; it appears in addresses and cannot change later.")
                        if platform is None else "")
        self.fields.add("name", tr("Name"), self.name)
        self.fields.add("domain", tr("Domain"), self.domain,
                        tr("The address customers use when Orion serves this platform on its own domain."))
        self.fields.add("default_language", tr("Default language"), self.default_language)
        (self.name if platform else self.code).setFocus()

    def values(self) -> dict[str, Any]:
        return {"code": self.code.text(), "name": self.name.text(), "domain": self.domain.text(),
                "default_language": self.default_language.currentData()}

    def save(self) -> None:
        self._saving(True)
        self.model.save_platform(self.values(), self.platform.code if self.platform else None, self._done)


class StoreDialog(_FormDialog):
    """Create a store on a platform, or edit one (its code and platform then stay as they are)."""

    def __init__(self, model: PlatformsViewModel, store: StoreRow | None = None,
                 parent: QWidget | None = None, *, platform: str = "") -> None:
        from orion_server.tenancy import DEFAULT_STORE_LANGUAGES

        super().__init__(tr("New store") if store is None else tr("Edit store {code}", code=store.code),
                         tr("Create store") if store is None else tr("Save changes"), parent)
        self.model = model
        self.store = store
        self.platform = QComboBox()
        for row in model.platforms.rows:
            self.platform.addItem(f"{row.name} ({row.code})", row.code)
        chosen = store.platform if store else (platform or self._main_platform())
        self.platform.setCurrentIndex(max(self.platform.findData(chosen), 0))
        self.platform.setEnabled(store is None)
        self.code = QLineEdit(store.code if store else "")
        self.code.setPlaceholderText(tr("for example bakery"))
        self.code.setReadOnly(store is not None)
        self.name = QLineEdit(store.name if store else "")
        self.subdomain = QLineEdit(store.subdomain if store else "")
        self.subdomain.setPlaceholderText(tr("the same as the code"))
        self.merchant = QComboBox()
        self.merchant.addItem(tr("No merchant"), None)
        self.languages: dict[str, QCheckBox] = {}
        chosen_languages = list(store.languages) if store else list(DEFAULT_STORE_LANGUAGES)
        self._language_order = chosen_languages
        languages_row = QWidget()
        row = QHBoxLayout(languages_row)
        row.setContentsMargins(0, 0, 0, 0)
        for code, name in language_names().items():
            box = QCheckBox(name)
            box.setObjectName(f"language_{code}")
            box.setChecked(code in chosen_languages)
            self.languages[code] = box
            row.addWidget(box)
        row.addStretch(1)
        self.default_language = language_combo(store.default_language if store else "fr")
        self.active = QCheckBox(tr("Open: customers can visit and buy"))
        self.active.setChecked(store.active if store else True)
        self.fields.add("platform", tr("Platform"), self.platform)
        self.fields.add("code", tr("Code"), self.code,
                        tr("Lowercase letters, digits and hyphens; it appears in addresses and cannot change later.")
                        if store is None else "")
        self.fields.add("name", tr("Name"), self.name)
        self.fields.add("subdomain", tr("Subdomain"), self.subdomain,
                        tr("Used when the platform runs on its own domain: subdomain.domain."))
        self.fields.add("merchant", tr("Merchant"), self.merchant, aliases=("merchant_id",))
        self.fields.add("languages", tr("Languages"), languages_row)
        self.fields.add("default_language", tr("Default language"), self.default_language)
        if store is not None:
            self.fields.add("active", tr("Status"), self.active)
        self._merchant_wanted = store.merchant_id if store else None
        self.platform.currentIndexChanged.connect(lambda _index: self._load_merchants())
        self._load_merchants()
        (self.name if store else self.code).setFocus()

    def _main_platform(self) -> str:
        from orion_server.config import get_settings

        return get_settings().main_platform_code

    def _load_merchants(self) -> None:
        code = self.platform.currentData()
        if code:
            self.model.load_merchants(code, self._merchants_loaded)

    def _merchants_loaded(self, merchants: list[tuple[int, str]]) -> None:
        wanted = self.merchant.currentData() if self.merchant.count() > 1 else self._merchant_wanted
        self.merchant.clear()
        self.merchant.addItem(tr("No merchant"), None)
        for merchant_id, name in merchants:
            self.merchant.addItem(name, merchant_id)
        index = self.merchant.findData(wanted) if wanted is not None else 0
        self.merchant.setCurrentIndex(max(index, 0))

    def chosen_languages(self) -> list[str]:
        """The ticked languages, in the store's order first, then in the list's order."""
        ticked = [code for code, box in self.languages.items() if box.isChecked()]
        return [code for code in self._language_order if code in ticked] + [
            code for code in ticked if code not in self._language_order]

    def values(self) -> dict[str, Any]:
        values = {"platform": self.platform.currentData() or "", "code": self.code.text(), "name": self.name.text(),
                  "subdomain": self.subdomain.text(), "merchant_id": self.merchant.currentData(),
                  "languages": self.chosen_languages(), "default_language": self.default_language.currentData()}
        if self.store is not None:
            values["active"] = self.active.isChecked()
        return values

    def save(self) -> None:
        self._saving(True)
        self.model.save_store(self.values(), self.store.code if self.store else None, self._done)
