"""Enabling and disabling modules per platform, with cascades, dry runs and audit."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from orion_server.models import AuditEntry
from orion_server.modules.service import CoreModuleError, UnknownModuleError, module_service


@pytest.fixture
def platform(factories):
    return factories.platform(code="alpha", name="Alpha")


@pytest.fixture
def other_platform(factories):
    return factories.platform(code="beta", name="Beta")


def test_new_platform_has_core_and_internal_modules_on(db_session, platform):
    """Core and internal modules start enabled, optional ones off."""
    enabled = module_service.get_enabled_module_codes(db_session, platform.id)
    assert {"core", "tenancy", "cms", "billing", "dev-tools", "monitoring"} <= enabled
    assert "catalog" not in enabled and "checkout" not in enabled


def test_enabling_checkout_enables_cart_inventory_orders_and_customers(db_session, platform):
    """The cascade enables every requirement first, in dependency order."""
    change = module_service.enable_module(db_session, platform.id, "checkout")
    assert change.changed == ["inventory", "cart", "orders", "checkout"]
    enabled = module_service.get_enabled_module_codes(db_session, platform.id)
    assert {"checkout", "cart", "inventory", "orders", "customers"} <= enabled


def test_disabling_inventory_disables_catalog_cart_marketplace_and_checkout(db_session, platform):
    """Everything that depends on inventory goes off with it, dependents first."""
    for code in ("checkout", "catalog", "marketplace"):
        module_service.enable_module(db_session, platform.id, code)
    change = module_service.disable_module(db_session, platform.id, "inventory")
    assert set(change.changed) == {"catalog", "cart", "marketplace", "checkout", "inventory"}
    assert change.changed[-1] == "inventory"
    assert change.changed.index("checkout") < change.changed.index("cart")
    enabled = module_service.get_enabled_module_codes(db_session, platform.id)
    assert not {"catalog", "cart", "marketplace", "checkout", "inventory"} & enabled
    assert "orders" in enabled


def test_disabling_a_core_module_is_refused(db_session, platform):
    """Core modules cannot be disabled; nothing changes."""
    with pytest.raises(CoreModuleError, match="core module"):
        module_service.disable_module(db_session, platform.id, "billing")
    assert module_service.is_module_enabled(db_session, platform.id, "billing")


def test_dry_run_reports_the_cascade_and_changes_nothing(db_session, platform):
    """A dry run returns the full cascade and leaves every state as it was."""
    before = module_service.get_enabled_module_codes(db_session, platform.id)
    change = module_service.enable_module(db_session, platform.id, "checkout", dry_run=True)
    assert change.dry_run and change.changed == ["inventory", "cart", "orders", "checkout"]
    assert module_service.get_enabled_module_codes(db_session, platform.id) == before
    assert db_session.scalar(select(AuditEntry).where(AuditEntry.action.like("module.%"))) is None


def test_changes_to_one_platform_leave_another_untouched(db_session, platform, other_platform):
    """Enabling checkout on alpha does not enable it on beta."""
    module_service.enable_module(db_session, platform.id, "checkout")
    assert not module_service.is_module_enabled(db_session, other_platform.id, "checkout")
    assert not module_service.is_module_enabled(db_session, other_platform.id, "inventory")


def test_each_change_is_audited_with_actor_and_cascade(db_session, platform, factories):
    """The audit log names who enabled what and what cascaded."""
    admin = factories.admin(email="ops@example.com")
    module_service.enable_module(db_session, platform.id, "checkout", user_id=admin.id)
    entry = db_session.scalar(select(AuditEntry).where(AuditEntry.action == "module.enable"))
    assert entry.actor_label == "ops@example.com" and entry.target == "checkout"
    assert entry.details["cascaded"] == ["inventory", "cart", "orders"]


def test_disabling_keeps_a_modules_data_and_reenabling_restores_it(db_session, platform):
    """Disable then enable: the platform_modules rows flip, nothing is deleted."""
    module_service.enable_module(db_session, platform.id, "catalog")
    module_service.disable_module(db_session, platform.id, "catalog")
    module_service.enable_module(db_session, platform.id, "catalog")
    assert module_service.is_module_enabled(db_session, platform.id, "catalog")


def test_unknown_module_is_a_clear_error(db_session, platform):
    """An unknown code names the known modules."""
    with pytest.raises(UnknownModuleError, match="unknown module 'nope'"):
        module_service.enable_module(db_session, platform.id, "nope")
