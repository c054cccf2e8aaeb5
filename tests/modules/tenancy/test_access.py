"""Who may use the tenancy admin: signed-in platform admins only, with the CSRF token."""

from __future__ import annotations

import pytest

from orion_server.models import Platform, Store
from tests.modules.tenancy.helpers import API, count, enabled_modules

API_READS = [
    "/platforms",
    "/platforms/main",
    "/platforms/main/modules",
    "/stores",
    "/stores/bakery",
    "/merchants",
]
PAGES = [
    "/admin/platforms",
    "/admin/platforms/main",
    "/admin/platforms/main/modules",
    "/admin/platforms/main/modules/cart/enable",
    "/admin/stores",
    "/admin/stores/bakery",
]


@pytest.fixture
def bakery(factories, main_platform):
    """A store on the main platform."""
    return factories.store(main_platform, code="bakery", name="Bakery")


@pytest.fixture
def staff_csrf(client, factories, bakery) -> str:
    """A store owner signed in on ``client``; their CSRF token."""
    client.cookies.set("orion_lang", "en")
    return factories.login(client, factories.staff(bakery, role="owner", email="owner@bakery.lu"))


@pytest.mark.parametrize("path", API_READS)
def test_anonymous_api_calls_get_401_json(client, bakery, path):
    """Without a session every API route answers 401 with a JSON error."""
    response = client.get(API + path)
    assert response.status_code == 401
    assert response.json()["error"] == "login_required"


def test_an_anonymous_post_with_a_valid_csrf_pair_is_still_401(client, bakery, db_session):
    """Passing the CSRF check is not enough: creating needs a signed-in admin."""
    client.get("/admin/login")
    token = client.cookies.get("orion_csrf")
    response = client.post(
        f"{API}/platforms",
        json={"code": "sneaky", "name": "Sneaky"},
        headers={"X-CSRF-Token": token},
    )
    assert response.status_code == 401
    assert count(db_session, Platform, Platform.code == "sneaky") == 0


@pytest.mark.parametrize("path", PAGES)
def test_anonymous_page_visits_redirect_to_the_login_form(client, bakery, path):
    """Pages send anonymous visitors to /admin/login with the page to come back to."""
    response = client.get(path, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/admin/login?next={path}"


@pytest.mark.parametrize("path", API_READS)
def test_store_staff_get_403_from_the_admin_api(client, staff_csrf, path):
    """A store owner is signed in but is no platform admin: 403 JSON."""
    response = client.get(API + path)
    assert response.status_code == 403
    assert response.json()["error"] == "forbidden"


def test_store_staff_cannot_create_or_change_through_the_admin_api(
    client, staff_csrf, main_platform, db_session
):
    """Unsafe calls by store staff, with their valid CSRF token, are 403 and change nothing."""
    headers = {"X-CSRF-Token": staff_csrf}
    calls = [
        client.post(f"{API}/platforms", json={"code": "mine", "name": "Mine"}, headers=headers),
        client.post(
            f"{API}/stores",
            json={"platform": "main", "code": "mine", "name": "Mine"},
            headers=headers,
        ),
        client.patch(f"{API}/stores/bakery", json={"name": "Taken over"}, headers=headers),
        client.post(f"{API}/platforms/main/modules/cart/enable", json={}, headers=headers),
    ]
    assert [r.status_code for r in calls] == [403, 403, 403, 403]
    assert count(db_session, Platform) == 1
    assert count(db_session, Store) == 1
    assert count(db_session, Store, Store.name == "Taken over") == 0
    assert "cart" not in enabled_modules(db_session, main_platform.id)


@pytest.mark.parametrize("path", PAGES)
def test_store_staff_get_403_on_the_admin_pages(client, staff_csrf, path):
    """The admin pages refuse store staff with a 403 page."""
    response = client.get(path, follow_redirects=False)
    assert response.status_code == 403
    assert "text/html" in response.headers["content-type"]


def test_an_api_post_without_the_csrf_header_is_403_and_creates_nothing(client, csrf, db_session):
    """A signed-in admin's POST without X-CSRF-Token is refused before anything happens."""
    response = client.post(f"{API}/platforms", json={"code": "forged", "name": "Forged"})
    assert response.status_code == 403
    assert response.json()["error"] == "csrf_failed"
    wrong = client.post(
        f"{API}/platforms",
        json={"code": "forged", "name": "Forged"},
        headers={"X-CSRF-Token": "guess"},
    )
    assert wrong.status_code == 403
    assert count(db_session, Platform, Platform.code == "forged") == 0


def test_a_patch_without_the_csrf_header_changes_nothing(client, csrf, bakery, db_session):
    """PATCH without the header is 403 and the store keeps its name."""
    response = client.patch(f"{API}/stores/bakery", json={"name": "Forged"})
    assert response.status_code == 403
    assert count(db_session, Store, Store.name == "Forged") == 0


def test_a_module_toggle_without_the_csrf_header_changes_nothing(
    client, csrf, main_platform, db_session
):
    """Enabling a module without the header is 403 and the module stays off."""
    response = client.post(f"{API}/platforms/main/modules/checkout/enable", json={"dry_run": False})
    assert response.status_code == 403
    assert "checkout" not in enabled_modules(db_session, main_platform.id)


def test_page_forms_without_the_csrf_token_are_403_and_change_nothing(
    client, csrf, bakery, main_platform, db_session
):
    """Every admin form refuses a post that lacks this session's token."""
    posts = [
        ("/admin/platforms", {"code": "forged", "name": "Forged"}),
        ("/admin/platforms/main", {"name": "Forged", "default_language": "fr"}),
        ("/admin/platforms/main/merchants", {"name": "Forged"}),
        (
            "/admin/stores",
            {"platform": "main", "code": "forged", "name": "Forged", "languages": ["fr"]},
        ),
        ("/admin/stores/bakery", {"name": "Forged", "subdomain": "bakery", "languages": ["fr"]}),
        ("/admin/platforms/main/modules/cart/enable", {"expected": "inventory,cart"}),
    ]
    for path, data in posts:
        response = client.post(
            path, data={**data, "csrf_token": "not-the-token"}, follow_redirects=False
        )
        assert response.status_code == 403, path
    assert count(db_session, Platform, Platform.code == "forged") == 0
    assert count(db_session, Platform, Platform.name == "Forged") == 0
    assert count(db_session, Store) == 1
    assert count(db_session, Store, Store.name == "Forged") == 0
    assert "cart" not in enabled_modules(db_session, main_platform.id)
