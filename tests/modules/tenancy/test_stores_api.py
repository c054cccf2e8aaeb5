"""Stores through the admin API: create, read, list, filter, search, paginate, change."""

from __future__ import annotations

import pytest

from orion_server.models import Store
from orion_server.tenancy import tenancy_service
from tests.modules.tenancy.helpers import API, count, error_fields


@pytest.fixture
def platform(factories, main_platform):
    """A second platform, besides the main one."""
    return factories.platform(code="letzshop", name="Letzshop")


def test_admin_creates_a_store_with_languages_and_a_merchant(client, auth, platform, db_session):
    """POST /stores creates the store with everything given and links to its storefront."""
    merchant = tenancy_service.create_merchant(
        db_session, platform_code="letzshop", name="Dupont SARL"
    )
    response = client.post(
        f"{API}/stores",
        json={
            "platform": "letzshop",
            "code": "boulangerie",
            "name": "Boulangerie Dupont – Kirchberg",
            "subdomain": "dupont",
            "merchant_id": merchant.id,
            "default_language": "lb",
            "languages": ["lb", "fr"],
        },
        headers=auth,
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["platform"] == "letzshop"
    assert body["subdomain"] == "dupont"
    assert body["merchant"] == "Dupont SARL"
    assert body["languages"] == ["lb", "fr"]
    assert body["storefront_path"] == "/platforms/letzshop/storefront/boulangerie/"
    assert body["dashboard_path"] == "/store/boulangerie/"
    assert (
        client.get(f"{API}/stores/boulangerie").json()["name"] == "Boulangerie Dupont – Kirchberg"
    )


def test_a_new_store_defaults_its_subdomain_and_languages(client, auth, platform):
    """Without subdomain and languages a store gets its code and fr, de, en."""
    response = client.post(
        f"{API}/stores", json={"platform": "letzshop", "code": "shop", "name": "Shop"}, headers=auth
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["subdomain"], body["default_language"], body["languages"]) == (
        "shop",
        "fr",
        ["fr", "de", "en"],
    )


def test_the_store_list_filters_by_platform_and_search(
    client, auth, platform, factories, main_platform
):
    """platform= keeps one platform's stores; search= matches part of code or name."""
    factories.store(platform, code="bakery", name="Boulangerie")
    factories.store(platform, code="books", name="Librairie")
    factories.store(main_platform, code="butcher", name="Boucherie")
    of_platform = client.get(f"{API}/stores", params={"platform": "letzshop"}).json()
    assert [s["code"] for s in of_platform["items"]] == ["bakery", "books"]
    searched = client.get(f"{API}/stores", params={"platform": "letzshop", "search": "LIBR"}).json()
    assert [s["code"] for s in searched["items"]] == ["books"]
    everywhere = client.get(f"{API}/stores", params={"search": "bou"}).json()
    assert [s["code"] for s in everywhere["items"]] == ["bakery", "butcher"]


def test_the_store_list_is_paginated(client, auth, platform, factories):
    """per_page and page walk through the stores in code order."""
    for n in range(5):
        factories.store(platform, code=f"store-{n}")
    second = client.get(f"{API}/stores", params={"per_page": 2, "page": 2}).json()
    assert [s["code"] for s in second["items"]] == ["store-2", "store-3"]
    assert (second["total"], second["pages"], second["page"]) == (5, 3, 2)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"platform": "nowhere"}, "platform"),
        ({"page": 0}, "page"),
        ({"per_page": 101}, "per_page"),
    ],
)
def test_unusable_store_list_parameters_are_422(client, auth, params, field):
    """An unknown platform filter or bad paging answers 422 naming the parameter."""
    response = client.get(f"{API}/stores", params=params)
    assert response.status_code == 422
    assert field in error_fields(response)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"platform": "nowhere"}, "platform"),
        ({"platform": ""}, "platform"),
        ({"code": "Not Valid"}, "code"),
        ({"code": "store"}, "code"),
        ({"name": ""}, "name"),
        ({"subdomain": "-bad-"}, "subdomain"),
        ({"subdomain": "www"}, "subdomain"),
        ({"languages": []}, "languages"),
        ({"languages": ["fr", "xx"]}, "languages"),
        ({"languages": ["fr", "fr"]}, "languages"),
        ({"default_language": "de", "languages": ["fr"]}, "default_language"),
        ({"merchant_id": 999999}, "merchant_id"),
        ({"merchant_id": "abc"}, "merchant_id"),
        ({"languages": "fr"}, "languages"),
        ({"is_active": False}, "is_active"),
    ],
)
def test_creating_an_invalid_store_is_422_and_creates_nothing(
    client, auth, platform, db_session, changes, field
):
    """Every invalid field is named in a 422 answer and no store is created."""
    body = {"platform": "letzshop", "code": "shop", "name": "Shop", **changes}
    response = client.post(f"{API}/stores", json=body, headers=auth)
    assert response.status_code == 422, response.text
    assert field in error_fields(response)
    assert count(db_session, Store) == 0


def test_a_merchant_of_another_platform_cannot_own_the_store(client, auth, platform, db_session):
    """merchant_id must name a merchant of the store's own platform."""
    other = tenancy_service.create_merchant(db_session, platform_code="main", name="Elsewhere SA")
    body = {"platform": "letzshop", "code": "shop", "name": "Shop", "merchant_id": other.id}
    response = client.post(f"{API}/stores", json=body, headers=auth)
    assert response.status_code == 422
    assert error_fields(response) == {"merchant_id"}
    assert count(db_session, Store) == 0


def test_duplicate_store_codes_and_subdomains_are_409(
    client, auth, platform, factories, db_session
):
    """A taken code (anywhere) or subdomain (on the same platform) answers 409 on that field."""
    factories.store(platform, code="bakery", subdomain="bakery")
    same_code = {"platform": "main", "code": "bakery", "name": "Again"}
    response = client.post(f"{API}/stores", json=same_code, headers=auth)
    assert (response.status_code, response.json()["field"]) == (409, "code")
    same_subdomain = {
        "platform": "letzshop",
        "code": "other",
        "name": "Other",
        "subdomain": "bakery",
    }
    response = client.post(f"{API}/stores", json=same_subdomain, headers=auth)
    assert (response.status_code, response.json()["field"]) == (409, "subdomain")
    assert count(db_session, Store) == 1


def test_the_same_subdomain_may_be_used_on_another_platform(client, auth, platform, factories):
    """Subdomains are unique per platform only."""
    factories.store(platform, code="bakery", subdomain="bakery")
    body = {"platform": "main", "code": "bakery-main", "name": "Bakery", "subdomain": "bakery"}
    assert client.post(f"{API}/stores", json=body, headers=auth).status_code == 201


def test_patch_changes_languages_merchant_and_the_active_flag(
    client, auth, platform, factories, db_session
):
    """PATCH changes what it is given, attaches and (with null) detaches the merchant."""
    factories.store(platform, code="bakery", name="Bakery")
    merchant = tenancy_service.create_merchant(db_session, platform_code="letzshop", name="Dupont")
    response = client.patch(
        f"{API}/stores/bakery",
        json={
            "languages": ["de", "lb"],
            "default_language": "lb",
            "is_active": False,
            "merchant_id": merchant.id,
        },
        headers=auth,
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["languages"], body["default_language"], body["is_active"]) == (
        ["de", "lb"],
        "lb",
        False,
    )
    assert body["merchant"] == "Dupont"
    detached = client.patch(f"{API}/stores/bakery", json={"merchant_id": None}, headers=auth).json()
    assert detached["merchant_id"] is None
    assert detached["name"] == "Bakery"


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"languages": ["de"]}, 422, "default_language"),
        ({"languages": []}, 422, "languages"),
        ({"name": " "}, 422, "name"),
        ({"name": None}, 422, "name"),
        ({"subdomain": "Bad!"}, 422, "subdomain"),
        ({"subdomain": "taken"}, 409, "subdomain"),
        ({"platform": "main"}, 422, "platform"),
        ({"merchant_id": 424242}, 422, "merchant_id"),
    ],
)
def test_an_invalid_store_patch_changes_nothing(
    client, auth, platform, factories, db_session, body, status, field
):
    """An invalid PATCH names the field and leaves the store as it was."""
    factories.store(platform, code="taken-one", subdomain="taken")
    factories.store(
        platform, code="bakery", name="Bakery", default_language="fr", languages=["fr", "en"]
    )
    response = client.patch(f"{API}/stores/bakery", json=body, headers=auth)
    assert response.status_code == status, response.text
    assert field in error_fields(response)
    db_session.rollback()
    store = db_session.query(Store).filter_by(code="bakery").one()
    assert (store.name, store.subdomain, store.languages, store.merchant_id) == (
        "Bakery",
        "bakery",
        ["fr", "en"],
        None,
    )


def test_an_unknown_store_is_404(client, auth):
    """GET and PATCH of a code no store has answer 404."""
    assert client.get(f"{API}/stores/nope").status_code == 404
    assert client.patch(f"{API}/stores/nope", json={"name": "X"}, headers=auth).status_code == 404
