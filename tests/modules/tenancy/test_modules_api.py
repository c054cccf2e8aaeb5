"""Module enablement of a platform through the admin API."""

from __future__ import annotations

from orion_server.models import PlatformModule
from tests.modules.tenancy.helpers import API, count, enabled_modules


def test_the_module_list_shows_tier_requirements_and_state(client, auth, main_platform):
    """GET /platforms/{code}/modules lists every module with its tier, requires and state."""
    response = client.get(f"{API}/platforms/main/modules")
    assert response.status_code == 200
    modules = {m["code"]: m for m in response.json()}
    assert modules["checkout"] == {
        **modules["checkout"],
        "tier": "optional",
        "requires": ["cart", "orders", "customers"],
        "enabled": False,
    }
    assert modules["customers"]["tier"] == "core" and modules["customers"]["enabled"] is True
    assert modules["monitoring"]["tier"] == "internal"


def test_a_dry_run_reports_the_cascade_and_changes_nothing(client, auth, main_platform, db_session):
    """Enabling checkout as a dry run lists cart, inventory and orders but enables nothing."""
    response = client.post(
        f"{API}/platforms/main/modules/checkout/enable", json={"dry_run": True}, headers=auth
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["dry_run"] is True
    assert set(body["changed"]) == {"inventory", "cart", "orders", "checkout"}
    assert "customers" not in body["changed"]  # core, so already on
    assert "checkout" not in enabled_modules(db_session, main_platform.id)
    assert count(db_session, PlatformModule) == 0


def test_enabling_checkout_enables_what_it_requires(client, auth, main_platform, db_session):
    """Without dry_run the whole cascade is applied."""
    response = client.post(
        f"{API}/platforms/main/modules/checkout/enable", json={"dry_run": False}, headers=auth
    )
    assert response.status_code == 200
    assert response.json()["dry_run"] is False
    assert {"checkout", "cart", "inventory", "orders"} <= enabled_modules(
        db_session, main_platform.id
    )


def test_enabling_without_a_body_applies_the_change(client, auth, main_platform, db_session):
    """The JSON body is optional; no body means no dry run."""
    response = client.post(f"{API}/platforms/main/modules/orders/enable", headers=auth)
    assert response.status_code == 200
    assert response.json()["changed"] == ["orders"]
    assert "orders" in enabled_modules(db_session, main_platform.id)


def test_disabling_a_module_disables_its_dependents(client, auth, main_platform, db_session):
    """Disabling inventory also disables cart and checkout, which depend on it."""
    client.post(f"{API}/platforms/main/modules/checkout/enable", json={}, headers=auth)
    response = client.post(
        f"{API}/platforms/main/modules/inventory/disable", json={"dry_run": False}, headers=auth
    )
    assert response.status_code == 200
    assert set(response.json()["changed"]) == {"inventory", "cart", "checkout"}
    enabled = enabled_modules(db_session, main_platform.id)
    assert "orders" in enabled and not {"inventory", "cart", "checkout"} & enabled


def test_disabling_a_core_module_is_409_and_changes_nothing(
    client, auth, main_platform, db_session
):
    """Core modules cannot be disabled: 409 with the service's message, even in a dry run."""
    for dry_run in (True, False):
        response = client.post(
            f"{API}/platforms/main/modules/customers/disable",
            json={"dry_run": dry_run},
            headers=auth,
        )
        assert response.status_code == 409
        assert response.json()["error"] == "core_module"
        assert "core module" in response.json()["message"]
    assert "customers" in enabled_modules(db_session, main_platform.id)
    assert count(db_session, PlatformModule) == 0


def test_unknown_modules_and_platforms_are_404(client, auth, main_platform):
    """A module or platform code that does not exist answers 404."""
    unknown_module = client.post(
        f"{API}/platforms/main/modules/teleport/enable", json={}, headers=auth
    )
    assert unknown_module.status_code == 404
    assert unknown_module.json()["error"] == "unknown_module"
    assert (
        client.post(f"{API}/platforms/nope/modules/cart/enable", json={}, headers=auth).status_code
        == 404
    )
    assert client.get(f"{API}/platforms/nope/modules").status_code == 404


def test_a_malformed_toggle_body_is_422(client, auth, main_platform, db_session):
    """dry_run must be a boolean and nothing else may be sent."""
    for body in ({"dry_run": "perhaps"}, {"dry_run": True, "force": True}, ["dry_run"]):
        response = client.post(f"{API}/platforms/main/modules/cart/enable", json=body, headers=auth)
        assert response.status_code == 422, body
    assert "cart" not in enabled_modules(db_session, main_platform.id)
