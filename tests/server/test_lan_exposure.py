"""Serving the LAN safely: only known host names are answered (no DNS rebinding), and the
dashboards open only on this computer unless the operator lets other computers in."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from orion_server.config import get_settings


@pytest.fixture
def shop(factories, main_platform):
    bakery = factories.store(main_platform, code="bakery", name="Boulangerie Dupont", subdomain="dupont",
                             custom_domain="boulangerie-dupont.lu")
    market = factories.platform(code="market", name="Market", domain="market.lu")
    return bakery, market


@pytest.fixture
def from_address(orion_app, clean_db):
    opened: list[TestClient] = []

    def make(address: str) -> TestClient:
        test_client = TestClient(orion_app, base_url="http://testserver", client=(address, 50000),
                                 headers={"accept-language": "en"})
        test_client.__enter__()
        opened.append(test_client)
        return test_client

    yield make
    for test_client in opened:
        test_client.__exit__(None, None, None)


@pytest.mark.parametrize(
    "host",
    [
        "testserver",  # the base URL's host
        "localhost",
        "127.0.0.1:8000",
        "192.168.1.20:8000",  # the LAN address the console shows
        "[::1]:8000",
        "www.localhost",
        "market.lu",  # a platform's domain
        "dupont.localhost",  # a store subdomain of the main platform's domain
        "boulangerie-dupont.lu",  # a store's own domain
    ],
)
def test_known_host_names_are_served(client, shop, host):
    response = client.get("/", headers={"host": host}, follow_redirects=False)
    assert response.status_code == 200


@pytest.mark.parametrize("path", ["/", "/admin/login", "/platforms/main/storefront/bakery/"])
def test_an_unknown_host_name_gets_400(client, shop, path):
    """A page asked for under a name someone else controls (DNS rebinding) is refused."""
    response = client.get(path, headers={"host": "attacker.example:8000", "accept-language": "en"})
    assert response.status_code == 400
    assert "This server does not answer to that address." in response.text
    assert "Boulangerie" not in response.text


def test_an_unknown_host_name_gets_400_json_on_the_api(client, shop):
    response = client.get("/api/v1/admin/tenancy/platforms", headers={"host": "rebound.example"})
    assert response.status_code == 400
    assert response.json()["error"] == "unknown_host"


def test_an_allowed_host_name_is_served(client, shop, monkeypatch):
    middleware_settings = get_settings()
    monkeypatch.setattr(middleware_settings, "allowed_hosts", ["shop.example.lu"])
    from orion_server.app import create_app

    with TestClient(create_app(), base_url="http://testserver") as fresh:
        assert fresh.get("/", headers={"host": "shop.example.lu"}).status_code == 200
        assert fresh.get("/", headers={"host": "other.example.lu"}).status_code == 400


@pytest.mark.parametrize(
    "path", ["/admin/login", "/admin/", "/store/bakery/login", "/store/bakery/", "/api/v1/admin/tenancy/platforms"]
)
def test_dashboards_are_refused_to_other_computers_by_default(from_address, shop, path):
    response = from_address("192.168.1.50").get(path, follow_redirects=False)
    assert response.status_code == 403
    if path.startswith("/api/"):
        assert response.json()["error"] == "staff_local_only"
    else:
        assert "only on the computer that runs Orion" in response.text


def test_the_storefront_is_open_to_other_computers(from_address, shop):
    visitor = from_address("192.168.1.50")
    assert visitor.get("/platforms/main/storefront/bakery/").status_code == 200
    assert visitor.get("/").status_code == 200


def test_this_computer_opens_the_dashboards(from_address, shop):
    assert from_address("127.0.0.1").get("/admin/login").status_code == 200
    assert from_address("::1").get("/store/bakery/login").status_code == 200


def test_the_operator_can_let_other_computers_in(from_address, shop, monkeypatch, orion_app):
    monkeypatch.setattr(orion_app.state.settings, "staff_from_lan", True)
    other = from_address("192.168.1.50")
    assert other.get("/admin/login").status_code == 200
    assert other.get("/store/bakery/login").status_code == 200


def test_a_client_behind_the_reverse_proxy_is_another_computer(from_address, shop):
    """Through a trusted proxy on this computer, the forwarded client address decides."""
    proxy = from_address("127.0.0.1")
    assert proxy.get("/admin/login", headers={"x-forwarded-for": "203.0.113.9"}).status_code == 403
    assert proxy.get("/admin/login", headers={"x-forwarded-for": "127.0.0.1"}).status_code == 200
