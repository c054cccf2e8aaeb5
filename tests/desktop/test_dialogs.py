"""Platform and store dialogs: the tenancy service's messages next to the fields, input kept,
changes really saved; the page's search, double-click, storefront link, and table models."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from orion_desktop.dialogs import PlatformDialog, StoreDialog
from orion_desktop.pages.platforms_page import PlatformsPage
from orion_desktop.qt import QDesktopServices, QObject, QUrl, Slot
from orion_desktop.viewmodels.platforms import PlatformsViewModel
from orion_desktop.viewmodels.server import ServerViewModel
from tests.desktop import test_wizard
from tests.desktop.conftest import wait_idle
from tests.desktop.test_wizard import fresh_database, switched_process

screenshot_dir = test_wizard.screenshot_dir  # the fixture, shared

MERCHANT = "Maison Schmit"


@pytest.fixture(scope="module")
def tenants(tmp_path_factory):
    """An installation set up the wizard's way, with a merchant and the store "bakery" on main."""
    from orion_desktop.installation import set_up_installation
    from orion_server.database import db
    from orion_server.tenancy import tenancy_service

    folder = tmp_path_factory.mktemp("dialogs") / "data"
    with fresh_database() as url, switched_process({
        "ORION_DATA_DIR": str(folder), "ORION_DATABASE_URL": url or None, "ORION_ENV": "development",
        "ORION_MAIN_PLATFORM_CODE": None,
    }):
        set_up_installation(platform_name="Orion", default_language="fr", admin_email="a@b.lu",
                            admin_password="long-password-1")
        with db.session() as session:
            merchant = tenancy_service.create_merchant(session, platform_code="main", name=MERCHANT)
            tenancy_service.create_store(session, platform_code="main", code="bakery", name="Bakery",
                                         merchant_id=merchant.id)
        yield merchant.id


@pytest.fixture
def model(qtbot, runner, tenants):
    platforms = PlatformsViewModel(runner)
    platforms.load()
    wait_idle(qtbot, runner)
    return platforms


@pytest.fixture
def page(qtbot, model):
    widget = PlatformsPage(model)
    qtbot.addWidget(widget)
    widget.resize(1000, 680)
    widget.show()
    return widget


def _session():
    from orion_server.database import db

    return db.session()


def test_a_new_platform_shows_every_service_message_then_is_created(qtbot, runner, model, page, screenshot_dir):
    """A reserved code, no name and a bad domain are named next to their fields at once, the input
    stays; corrected, the platform is created and listed."""
    from orion_server.models import Platform

    dialog = PlatformDialog(model, parent=page)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.code.setText("Admin")
    dialog.domain.setText("http://nope")
    dialog.save_button.click()
    wait_idle(qtbot, runner)
    assert dialog.result() == 0 and dialog.isVisible()
    assert dialog.fields.error("code") == "“admin” is reserved by Orion; choose another code."
    assert dialog.fields.error("name") == "Enter a name."
    assert dialog.fields.error("domain").startswith("Enter a domain name such as shop.example.lu")
    assert dialog.fields.error("default_language") == ""
    assert dialog.code.text() == "Admin" and dialog.domain.text() == "http://nope"
    assert dialog.form_error.text() == "Please correct the fields marked below."
    assert dialog.grab().save(str(screenshot_dir / "dialog-platform-errors.png"))
    dialog.code.setText("benelux")
    dialog.name.setText("Benelux")
    dialog.domain.setText("benelux.example.lu")
    dialog.default_language.setCurrentIndex(dialog.default_language.findData("de"))
    with qtbot.waitSignal(model.saved, timeout=10_000):
        dialog.save_button.click()
    wait_idle(qtbot, runner)
    assert dialog.result() == 1
    with _session() as session:
        platform = session.scalar(select(Platform).where(Platform.code == "benelux"))
        assert (platform.name, platform.domain, platform.default_language) == ("Benelux", "benelux.example.lu", "de")
    assert "benelux" in [row.code for row in model.platforms.rows]


def test_editing_a_platform_saves_it_and_names_a_taken_domain(qtbot, runner, model, page):
    """Renaming main is saved; the domain of another platform is refused next to the domain field."""
    from orion_server.models import Platform
    from orion_server.tenancy import tenancy_service

    with _session() as session:
        tenancy_service.create_platform(session, code="north", name="North", domain="north.example.lu")
    model.load()
    wait_idle(qtbot, runner)
    main = next(row for row in model.platforms.rows if row.code == "main")
    dialog = PlatformDialog(model, main, parent=page)
    qtbot.addWidget(dialog)
    assert dialog.code.isReadOnly() and dialog.name.text() == "Orion"
    dialog.name.setText("Orion Luxembourg")
    dialog.domain.setText("north.example.lu")
    dialog.save_button.click()
    wait_idle(qtbot, runner)
    assert dialog.fields.error("domain") == "The domain north.example.lu is already used by another platform."
    dialog.domain.setText("")
    dialog.save_button.click()
    wait_idle(qtbot, runner)
    assert dialog.result() == 1
    with _session() as session:
        assert session.scalar(select(Platform.name).where(Platform.code == "main")) == "Orion Luxembourg"


def test_a_new_store_is_checked_by_the_service_then_created_with_its_merchant(
        qtbot, runner, model, page, tenants, screenshot_dir):
    """No name and no language: both named; a default language the store does not offer: named;
    then the store is created with its languages, subdomain and merchant."""
    from orion_server.models import Store

    dialog = StoreDialog(model, parent=page)
    qtbot.addWidget(dialog)
    dialog.show()
    wait_idle(qtbot, runner)
    assert [dialog.merchant.itemText(i) for i in range(dialog.merchant.count())] == ["No merchant", MERCHANT]
    assert dialog.platform.currentData() == "main"
    assert dialog.chosen_languages() == ["fr", "de", "en"]  # the service's default languages
    dialog.code.setText("patisserie")
    for box in dialog.languages.values():
        box.setChecked(False)
    dialog.save_button.click()
    wait_idle(qtbot, runner)
    assert dialog.fields.error("name") == "Enter a name."
    assert dialog.fields.error("languages") == "Choose at least one language."
    assert dialog.code.text() == "patisserie"
    dialog.name.setText("Pâtisserie")
    dialog.languages["de"].setChecked(True)
    dialog.languages["lb"].setChecked(True)
    dialog.default_language.setCurrentIndex(dialog.default_language.findData("fr"))
    dialog.save_button.click()
    wait_idle(qtbot, runner)
    assert dialog.fields.error("default_language") == "The default language must be one of the store's languages."
    assert dialog.fields.error("name") == ""
    assert dialog.grab().save(str(screenshot_dir / "dialog-store-errors.png"))
    dialog.default_language.setCurrentIndex(dialog.default_language.findData("lb"))
    dialog.subdomain.setText("pat")
    dialog.merchant.setCurrentIndex(dialog.merchant.findData(tenants))
    dialog.save_button.click()
    wait_idle(qtbot, runner)
    assert dialog.result() == 1, dialog.outcome
    with _session() as session:
        store = session.scalar(select(Store).where(Store.code == "patisserie"))
        assert (store.name, store.subdomain, store.languages, store.default_language, store.merchant_id) == (
            "Pâtisserie", "pat", ["de", "lb"], "lb", tenants)
    wait_idle(qtbot, runner)
    assert "patisserie" in [row.code for row in model.stores.rows]


def test_editing_a_store_saves_languages_merchant_and_status(qtbot, runner, model, page):
    """Double-clicking the bakery opens it; a taken code is refused on create; the edit is saved."""
    from orion_server.models import Store

    bakery_row = next(i for i in range(model.stores_view.rowCount()) if model.store_at(i).code == "bakery")
    page.stores.doubleClicked.emit(model.stores_view.index(bakery_row, 0))
    dialog = page.dialog
    assert isinstance(dialog, StoreDialog) and dialog.store.code == "bakery"
    wait_idle(qtbot, runner)
    assert dialog.merchant.currentText() == MERCHANT
    assert not dialog.platform.isEnabled() and dialog.code.isReadOnly()
    dialog.name.setText("Bakery Schmit")
    dialog.languages["en"].setChecked(False)
    dialog.languages["lb"].setChecked(True)
    dialog.merchant.setCurrentIndex(0)  # no merchant
    dialog.active.setChecked(False)
    dialog.subdomain.setText("")
    dialog.save_button.click()
    wait_idle(qtbot, runner)
    assert dialog.fields.error("subdomain") == "Enter a subdomain."
    dialog.subdomain.setText("boulangerie")
    dialog.save_button.click()
    wait_idle(qtbot, runner)
    assert dialog.result() == 1, dialog.outcome
    with _session() as session:
        store = session.scalar(select(Store).where(Store.code == "bakery"))
        assert (store.name, store.subdomain, store.languages, store.merchant_id, store.is_active) == (
            "Bakery Schmit", "boulangerie", ["fr", "de", "lb"], None, False)

    again = StoreDialog(model, parent=page)
    qtbot.addWidget(again)
    again.code.setText("bakery")
    again.name.setText("Another")
    again.save_button.click()
    wait_idle(qtbot, runner)
    assert again.fields.error("code") == "A store with the code “bakery” already exists."


class UrlCatcher(QObject):
    """Receives the addresses the console asks the desktop to open (Qt's own URL handler hook)."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    @Slot(QUrl)
    def catch(self, url: QUrl) -> None:
        self.urls.append(url.toString())


def test_search_filters_both_tables_and_a_store_opens_its_storefront(qtbot, runner, model, page, screenshot_dir):
    """Typing filters the rows at once; the selected store's storefront opens at the address the
    Server page lists (or the page says to start the server first)."""
    page.search.setText("bak")
    assert model.platforms_view.rowCount() == 0 and model.stores_view.rowCount() == 1
    assert not page.platforms.isVisible() and page.stores.isVisible()
    page.search.setText("nothing-like-this")
    assert model.stores_view.rowCount() == 0 and "Nothing matches “nothing-like-this”" in page.empty.text()
    page.search.setText("MAIN")  # any column, any case: main and its stores
    assert model.platforms_view.rowCount() == 1 and model.stores_view.rowCount() == model.stores.rowCount()
    page.search.clear()
    assert model.platforms_view.rowCount() == model.platforms.rowCount()

    bakery_row = next(i for i in range(model.stores_view.rowCount()) if model.store_at(i).code == "bakery")
    page.stores.selectRow(bakery_row)
    assert page.open_storefront.isEnabled() and page.edit_store.isEnabled()
    server = ServerViewModel(runner)
    model.server = server
    assert page.open_selected_storefront() == ""
    assert "The server is not running" in page.notice.text()
    model.server = None
    catcher = UrlCatcher()
    QDesktopServices.setUrlHandler("http", catcher, "catch")
    try:
        url = page.open_selected_storefront()
    finally:
        QDesktopServices.unsetUrlHandler("http")
    assert url == "http://127.0.0.1:8000/platforms/main/storefront/bakery/"
    assert catcher.urls == [url]
    assert page.grab().save(str(screenshot_dir / "platforms-and-stores.png"))


def test_every_table_model_passes_the_model_tester(qtbot, qtmodeltester, model):
    """The platforms and stores models, and the filtered views over them, keep Qt's model rules."""
    assert model.platforms.rowCount() and model.stores.rowCount()
    for table in (model.platforms, model.stores, model.platforms_view, model.stores_view):
        qtmodeltester.check(table)
    model.filter("bak")
    qtmodeltester.check(model.stores_view)
    model.filter("")
