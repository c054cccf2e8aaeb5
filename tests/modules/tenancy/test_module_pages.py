"""The modules page of a platform: tiers, locked core modules, confirmed cascades."""

from __future__ import annotations

import re

from orion_server.models import AuditEntry, PlatformModule
from orion_server.modules.service import module_service
from tests.modules.tenancy.helpers import count, enabled_modules

MODULES = "/admin/platforms/main/modules"


def _section(page: str, tier: str) -> str:
    """The HTML of one tier's group on the modules page."""
    match = re.search(rf'<section class="module-group tier-{tier}".*?</section>', page, re.S)
    assert match, f"no {tier} group"
    return match.group(0)


def test_the_modules_page_groups_modules_by_tier(client, csrf, main_platform):
    """Core, optional and internal modules each have their group and explanation."""
    page = client.get(MODULES).text
    assert "Always on: every platform needs them to run" in _section(page, "core")
    assert 'id="module-checkout"' in _section(page, "optional")
    assert 'id="module-monitoring"' in _section(page, "internal")
    assert 'id="module-customers"' in _section(page, "core")


def test_core_modules_are_locked_with_an_explanation(client, csrf, main_platform):
    """Core modules show a lock with a tooltip saying why, and no toggle."""
    core = _section(client.get(MODULES).text, "core")
    assert (
        "Core module: Orion needs it on every platform, so it is always on and cannot be disabled."
        in core
    )
    assert 'title="Core module:' in core
    assert "/disable" not in core and "/enable" not in core


def test_optional_and_internal_modules_have_toggles(client, csrf, main_platform):
    """Off modules link to their enable confirmation, on modules to their disable one."""
    page = client.get(MODULES).text
    assert f'href="{MODULES}/checkout/enable"' in _section(page, "optional")
    assert 'aria-checked="false"' in _section(page, "optional")
    assert f'href="{MODULES}/monitoring/disable"' in _section(page, "internal")


def test_enabling_checkout_first_shows_the_whole_cascade(client, csrf, main_platform, db_session):
    """The toggle opens a confirmation listing cart, inventory and orders; nothing changes yet."""
    response = client.get(f"{MODULES}/checkout/enable")
    assert response.status_code == 200
    page = response.text
    assert "Enable Checkout on Orion Test?" in page
    sentence = re.search(r"Enabling Checkout also enables ([^.]*)\.", page)
    assert sentence, "the cascade sentence is missing"
    assert all(name in sentence.group(1) for name in ("Cart", "Inventory", "Orders"))
    assert "Customers" not in sentence.group(1)
    assert "Already on, nothing to do: Customers." in page
    assert 'name="expected" value="inventory,cart,orders,checkout"' in page
    assert f'href="{MODULES}">Cancel</a>' in page
    assert not {"checkout", "cart", "inventory", "orders"} & enabled_modules(
        db_session, main_platform.id
    )
    assert count(db_session, PlatformModule) == 0


def test_confirming_applies_the_cascade_and_says_so(client, csrf, main_platform, db_session):
    """The confirmation's POST enables the cascade and redirects to the modules with a message."""
    response = client.post(
        f"{MODULES}/checkout/enable",
        data={"expected": "inventory,cart,orders,checkout", "csrf_token": csrf},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == MODULES
    page = client.get(MODULES).text
    assert "Enabled on Orion Test: Inventory, Cart, Orders and Checkout." in page
    assert 'aria-checked="true"' in _section(page, "optional")
    assert {"checkout", "cart", "inventory", "orders"} <= enabled_modules(
        db_session, main_platform.id
    )
    assert count(db_session, AuditEntry, AuditEntry.action == "module.enable") == 1


def test_cancelling_leaves_every_module_as_it_was(client, csrf, main_platform, db_session):
    """Opening the confirmation and following Cancel changes no state."""
    before = enabled_modules(db_session, main_platform.id)
    confirmation = client.get(f"{MODULES}/checkout/enable").text
    cancel = re.search(
        r'<a class="button secondary" href="([^"]+)">Cancel</a>', confirmation
    ).group(1)
    assert client.get(cancel).status_code == 200
    assert enabled_modules(db_session, main_platform.id) == before
    assert count(db_session, PlatformModule) == 0


def test_disabling_lists_the_modules_that_depend_on_it(client, csrf, main_platform, db_session):
    """Disabling inventory first shows that cart and checkout go too, then applies it."""
    module_service.enable_module(db_session, main_platform.id, "checkout")
    page = client.get(f"{MODULES}/inventory/disable").text
    sentence = re.search(r"Disabling Inventory also disables ([^.]*)\.", page).group(1)
    assert "Cart" in sentence and "Checkout" in sentence and "Orders" not in sentence
    assert "Their data is kept" in page
    expected = re.search(r'name="expected" value="([^"]*)"', page).group(1)
    client.post(f"{MODULES}/inventory/disable", data={"expected": expected, "csrf_token": csrf})
    enabled = enabled_modules(db_session, main_platform.id)
    assert "orders" in enabled and not {"inventory", "cart", "checkout"} & enabled


def test_core_modules_cannot_be_disabled_from_the_pages(client, csrf, main_platform, db_session):
    """A hand-made disable link of a core module explains why and changes nothing."""
    response = client.get(f"{MODULES}/customers/disable", follow_redirects=False)
    assert response.status_code == 303
    assert (
        "Customers is a core module: it is always on and cannot be disabled."
        in client.get(MODULES).text
    )
    client.post(f"{MODULES}/customers/disable", data={"expected": "customers", "csrf_token": csrf})
    assert "customers" in enabled_modules(db_session, main_platform.id)
    assert count(db_session, PlatformModule) == 0


def test_a_confirmation_that_went_stale_is_shown_again_not_applied(
    client, csrf, main_platform, db_session
):
    """If the states moved after the preview, the new cascade is shown instead of applied."""
    client.get(f"{MODULES}/checkout/enable")
    module_service.enable_module(
        db_session, main_platform.id, "inventory"
    )  # someone else, meanwhile
    response = client.post(
        f"{MODULES}/checkout/enable",
        data={"expected": "inventory,cart,orders,checkout", "csrf_token": csrf},
    )
    assert response.status_code == 409
    assert "changed since you opened this page" in response.text
    assert 'name="expected" value="cart,orders,checkout"' in response.text
    assert "checkout" not in enabled_modules(db_session, main_platform.id)


def test_a_module_already_in_the_wanted_state_offers_nothing_to_confirm(
    client, csrf, main_platform
):
    """Enabling an internal module that is on says nothing changes and offers no button."""
    page = client.get(f"{MODULES}/monitoring/enable").text
    assert "Monitoring is already on. Nothing changes." in page
    assert 'name="expected"' not in page


def test_an_unknown_module_page_is_404(client, csrf, main_platform):
    """A module code that does not exist shows the not-found page."""
    assert client.get(f"{MODULES}/teleport/enable").status_code == 404
