"""Resolving platform, store and language for both URL modes, and what the API answers."""

from __future__ import annotations

import pytest

from orion_server.modules import registry
from orion_server.modules.enums import FrontendType


@pytest.fixture
def shop(factories, main_platform):
    """The main platform with a store, and a second platform with its own domain and store."""
    bakery = factories.store(main_platform, code="bakery", name="Boulangerie Dupont", subdomain="dupont")
    market = factories.platform(code="market", name="Market", domain="market.lu")
    books = factories.store(market, code="books", name="Librairie", languages=["de", "fr"], default_language="de")
    return bakery, market, books


def test_storefront_answers_in_path_mode(client, shop):
    """/platforms/{p}/storefront/{s}/ serves the store's home."""
    response = client.get("/platforms/main/storefront/bakery/")
    assert response.status_code == 200 and "Boulangerie Dupont" in response.text


def test_storefront_answers_in_host_mode_for_the_main_platform(client, shop):
    """{subdomain}.{ORION_PLATFORM_DOMAIN} serves the store at the root."""
    response = client.get("/", headers={"host": "dupont.localhost"})
    assert response.status_code == 200 and "Boulangerie Dupont" in response.text


def test_storefront_answers_in_host_mode_for_another_platform(client, shop):
    """{subdomain}.{platform domain} serves that platform's store."""
    response = client.get("/", headers={"host": "books.market.lu"})
    assert response.status_code == 200 and "Librairie" in response.text


def test_platform_domain_serves_its_public_pages(client, shop):
    """The platform's own domain serves its home page."""
    response = client.get("/", headers={"host": "market.lu"})
    assert response.status_code == 200 and "Market" in response.text
    assert "Librairie" in response.text


def test_other_platform_served_under_platforms_path(client, shop):
    """/platforms/{code}/ serves another platform's public pages."""
    response = client.get("/platforms/market/")
    assert response.status_code == 200 and "Librairie" in response.text


def test_unknown_store_is_a_404_page(client, shop):
    """An unknown store code answers an HTML 404 page."""
    response = client.get("/platforms/main/storefront/nope/")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")


def test_unknown_store_host_is_a_404(client, shop):
    """An unknown subdomain answers 404."""
    assert client.get("/", headers={"host": "nope.localhost"}).status_code == 404


def test_unknown_store_api_is_a_json_404(client, shop):
    """The storefront API of an unknown store answers JSON."""
    response = client.get("/platforms/main/storefront/nope/api/v1/anything")
    assert response.status_code == 404
    assert response.json()["error"] == "store_not_found"


def test_unknown_platform_is_a_404(client, shop):
    """/platforms/{unknown}/ answers 404."""
    assert client.get("/platforms/ghost/").status_code == 404


def test_store_of_another_platform_is_not_found_under_this_platform(client, shop):
    """A store is only reachable under its own platform."""
    assert client.get("/platforms/main/storefront/books/").status_code == 404


def test_internal_prefixes_cannot_be_requested(client, shop):
    """The internal routing prefixes are not reachable from outside."""
    assert client.get("/_sf/").status_code == 404
    assert client.get("/_pf/").status_code == 404


def test_storefront_root_without_slash_redirects(client, shop):
    """A storefront URL without its trailing slash redirects to it."""
    response = client.get("/platforms/main/storefront/bakery", follow_redirects=False)
    assert response.status_code == 308
    assert response.headers["location"] == "/platforms/main/storefront/bakery/"


def test_language_comes_from_the_url_and_sticks_in_a_cookie(client, shop):
    """?lang=de renders German and sets the language cookie for later pages."""
    response = client.get("/platforms/main/storefront/bakery/?lang=de")
    assert 'lang="de"' in response.text
    assert client.cookies.get("orion_lang") == "de"
    assert 'lang="de"' in client.get("/platforms/main/storefront/bakery/").text


def test_storefront_speaks_its_store_language_before_the_browsers(client, shop):
    """Without a URL or cookie a storefront speaks its store's language, whatever the browser
    asks (REFERENCE.md: customer, cookie, store, Accept-Language, fr); the platform's own
    pages follow the browser."""
    french_browser = client.get("/platforms/market/storefront/books/", headers={"accept-language": "fr-LU,en;q=0.5"})
    assert 'lang="de"' in french_browser.text
    default = client.get("/platforms/market/storefront/books/", headers={"accept-language": "ja"})
    assert 'lang="de"' in default.text
    platform_page = client.get("/platforms/market/", headers={"accept-language": "fr-LU,en;q=0.5"})
    assert 'lang="fr"' in platform_page.text


def test_storefront_offers_only_the_stores_languages(client, shop):
    """A language the store does not offer falls back to its default."""
    response = client.get("/platforms/market/storefront/books/?lang=lb")
    assert 'lang="de"' in response.text


def test_forwarded_host_is_ignored_from_untrusted_clients(client, shop):
    """X-Forwarded-Host from a client that is not a trusted proxy changes nothing."""
    response = client.get("/", headers={"x-forwarded-host": "books.market.lu"})
    assert "Librairie" not in response.text or "Orion Test" in response.text


def test_forwarded_host_is_honoured_from_a_trusted_proxy(orion_app, clean_db, shop):
    """X-Forwarded-Host from a trusted proxy selects the store."""
    from fastapi.testclient import TestClient

    with TestClient(orion_app, client=("127.0.0.1", 50000)) as proxied:
        response = proxied.get("/", headers={"x-forwarded-host": "books.market.lu"})
    assert response.status_code == 200 and "Librairie" in response.text


def test_request_body_over_the_limit_is_refused(client, shop):
    """A body larger than ORION_MAX_BODY_BYTES gets 413, not a crash."""
    from orion_server.config import get_settings

    too_big = b"x" * (get_settings().max_body_bytes + 1)
    response = client.post("/admin/login", content=too_big, headers={"content-type": "application/octet-stream"})
    assert response.status_code == 413


def test_openapi_docs_are_off_by_default(client, shop):
    """/docs and /openapi.json are not served unless enabled."""
    assert client.get("/docs").status_code == 404
    assert client.get("/openapi.json").status_code == 404


def test_a_provider_that_raises_does_not_break_the_page(client, shop, monkeypatch):
    """A failing context provider is logged and skipped; the storefront still renders."""
    core = registry.get_module("core")

    def broken(request, db, platform):
        raise RuntimeError("provider exploded")

    monkeypatch.setitem(core.context_providers, FrontendType.STOREFRONT, broken)
    response = client.get("/platforms/main/storefront/bakery/")
    assert response.status_code == 200 and "Boulangerie Dupont" in response.text


def test_providers_run_only_for_enabled_modules(shop, monkeypatch, db_session):
    """An optional module's provider contributes only where the module is on."""
    from starlette.requests import Request

    from orion_server.modules.context import get_storefront_context
    from orion_server.modules.service import module_service
    from orion_server.tenants import tenant_directory

    analytics = registry.get_module("analytics")
    monkeypatch.setitem(analytics.context_providers, FrontendType.STOREFRONT, lambda r, d, p: {"from_analytics": True})
    directory = tenant_directory(db_session)
    state = {"platform": directory.platforms_by_code["main"], "store": directory.stores_by_code["bakery"], "language": "en"}
    request = Request({"type": "http", "method": "GET", "path": "/", "headers": [], "state": state})
    assert "from_analytics" not in get_storefront_context(request, db_session)
    module_service.enable_module(db_session, state["platform"].id, "analytics")
    assert get_storefront_context(request, db_session)["from_analytics"] is True


def test_forms_without_csrf_token_are_refused(client, shop):
    """A form post without the CSRF token is refused with 403."""
    response = client.post("/admin/login", data={"email": "a@b.lu", "password": "x"})
    assert response.status_code == 403


def test_admin_pages_redirect_anonymous_users_to_login(client, shop):
    """An anonymous visit to the admin lands on its sign-in form."""
    response = client.get("/admin/", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/admin/login")
