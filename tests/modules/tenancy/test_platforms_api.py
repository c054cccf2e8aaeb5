"""Platforms through the admin API: create, read, list, search, paginate, change."""

from __future__ import annotations

import pytest

from orion_server.i18n import t
from orion_server.models import AuditEntry, Platform
from tests.modules.tenancy.helpers import API, count, error_fields


def test_admin_creates_a_platform_and_reads_it_back(client, auth, db_session):
    """POST /platforms answers 201 with the platform, which GET /platforms/{code} then returns."""
    response = client.post(
        f"{API}/platforms",
        json={
            "code": "letzshop",
            "name": "Letzshop.lu",
            "domain": "Letzshop.LU",
            "default_language": "de",
        },
        headers=auth,
    )
    assert response.status_code == 201, response.text
    assert response.headers["location"] == f"{API}/platforms/letzshop"
    created = response.json()
    assert created["code"] == "letzshop"
    assert created["domain"] == "letzshop.lu"
    assert created["default_language"] == "de"
    fetched = client.get(f"{API}/platforms/letzshop")
    assert fetched.status_code == 200
    assert fetched.json()["name"] == "Letzshop.lu"
    audited = AuditEntry.action == "platform.create", AuditEntry.target == "letzshop"
    assert (
        count(db_session, AuditEntry, *audited, AuditEntry.actor_label == "admin@example.lu") == 1
    )


def test_the_platform_list_is_paginated_by_code(client, auth, factories):
    """per_page cuts the list into pages ordered by code, with the total and the page count."""
    for code in ("delta", "alpha", "charlie", "bravo"):
        factories.platform(code=code)
    first = client.get(f"{API}/platforms", params={"per_page": 2}).json()
    assert first["total"] == 5  # four plus the main platform
    assert first["pages"] == 3
    assert [p["code"] for p in first["items"]] == ["alpha", "bravo"]
    last = client.get(f"{API}/platforms", params={"per_page": 2, "page": 3}).json()
    assert [p["code"] for p in last["items"]] == ["main"]
    beyond = client.get(f"{API}/platforms", params={"per_page": 2, "page": 9}).json()
    assert beyond["items"] == [] and beyond["total"] == 5


def test_searching_platforms_matches_part_of_code_or_name(client, auth, factories):
    """search finds platforms by code or name, case-insensitively, and treats % literally."""
    factories.platform(code="letzshop", name="Letzshop Luxembourg")
    factories.platform(code="bazar", name="Bazar de la Gare")
    by_name = client.get(f"{API}/platforms", params={"search": "GARE"}).json()
    assert [p["code"] for p in by_name["items"]] == ["bazar"]
    by_code = client.get(f"{API}/platforms", params={"search": "shop"}).json()
    assert [p["code"] for p in by_code["items"]] == ["letzshop"]
    wildcard = client.get(f"{API}/platforms", params={"search": "%"}).json()
    assert wildcard["total"] == 0


@pytest.mark.parametrize(
    ("params", "fields"),
    [
        ({"page": 0}, {"page"}),
        ({"per_page": 10000}, {"per_page"}),
        ({"per_page": 0, "page": -1}, {"page", "per_page"}),
        ({"page": "two"}, {"page"}),
        ({"search": "x" * 101}, {"search"}),
    ],
)
def test_unusable_list_parameters_are_422_not_500(client, auth, params, fields):
    """Out-of-range or malformed paging and search parameters answer 422 naming them."""
    response = client.get(f"{API}/platforms", params=params)
    assert response.status_code == 422
    assert error_fields(response) == fields


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"code": "Bad Code", "name": "X"}, "code"),
        ({"code": "admin", "name": "X"}, "code"),
        ({"code": "-lu", "name": "X"}, "code"),
        ({"code": "", "name": "X"}, "code"),
        ({"code": "x" * 51, "name": "X"}, "code"),
        ({"code": "lu", "name": "  "}, "name"),
        ({"code": "lu", "name": "x" * 201}, "name"),
        ({"code": "lu", "name": "X", "domain": "http://shop.lu/"}, "domain"),
        ({"code": "lu", "name": "X", "default_language": "es"}, "default_language"),
        ({"name": "X"}, "code"),
        ({"code": "lu", "name": "X", "colour": "red"}, "colour"),
        ({"code": 5, "name": "X"}, "code"),
    ],
)
def test_creating_an_invalid_platform_is_422_and_creates_nothing(
    client, auth, db_session, body, field
):
    """Every invalid field is named in a 422 answer and no platform is created."""
    before = count(db_session, Platform)
    response = client.post(f"{API}/platforms", json=body, headers=auth)
    assert response.status_code == 422, response.text
    assert field in error_fields(response)
    assert count(db_session, Platform) == before


def test_every_problem_of_a_platform_is_reported_at_once(client, auth):
    """A request with several wrong fields gets all of them back, not just the first."""
    response = client.post(
        f"{API}/platforms", json={"code": "api", "name": "", "domain": "not a domain"}, headers=auth
    )
    assert response.status_code == 422
    assert error_fields(response) == {"code", "name", "domain"}
    fields = {item["field"]: item["message"] for item in response.json()["fields"]}
    assert fields["code"] == t("tenancy.errors.code_reserved", "en", value="api")  # the key's English words


def test_a_duplicate_platform_code_is_409_and_creates_nothing(client, auth, factories, db_session):
    """Creating a platform whose code exists answers 409 on the code field."""
    factories.platform(code="letzshop")
    before = count(db_session, Platform)
    response = client.post(
        f"{API}/platforms", json={"code": "LETZSHOP", "name": "Again"}, headers=auth
    )
    assert response.status_code == 409
    assert response.json()["error"] == "conflict"
    assert response.json()["field"] == "code"
    assert count(db_session, Platform) == before


def test_a_domain_used_by_another_platform_is_409(client, auth, factories, db_session):
    """Two platforms cannot share a domain."""
    factories.platform(code="one", domain="shop.example.lu")
    response = client.post(
        f"{API}/platforms",
        json={"code": "two", "name": "Two", "domain": "shop.example.lu"},
        headers=auth,
    )
    assert response.status_code == 409
    assert response.json()["field"] == "domain"
    assert count(db_session, Platform, Platform.code == "two") == 0


def test_patch_changes_only_the_given_platform_fields(client, auth, factories):
    """PATCH changes name and language and leaves the domain alone when it is not given."""
    factories.platform(code="lu", name="Old", domain="old.example.lu")
    response = client.patch(
        f"{API}/platforms/lu", json={"name": "New name", "default_language": "lb"}, headers=auth
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["name"], body["default_language"], body["domain"]) == (
        "New name",
        "lb",
        "old.example.lu",
    )


def test_patch_with_a_null_domain_removes_it(client, auth, factories):
    """A null domain in a PATCH removes the platform's domain."""
    factories.platform(code="lu", domain="old.example.lu")
    response = client.patch(f"{API}/platforms/lu", json={"domain": None}, headers=auth)
    assert response.status_code == 200
    assert response.json()["domain"] is None


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"name": ""}, 422, "name"),
        ({"name": None}, 422, "name"),
        ({"default_language": "xx"}, 422, "default_language"),
        ({"domain": "bad domain"}, 422, "domain"),
        ({"code": "other"}, 422, "code"),
        ({"domain": "taken.example.lu"}, 409, "domain"),
        ({"name": "Fine", "domain": "bad domain"}, 422, "domain"),
    ],
)
def test_an_invalid_patch_changes_nothing(client, auth, factories, db_session, body, status, field):
    """An invalid PATCH names the field and leaves the platform exactly as it was."""
    factories.platform(code="other", domain="taken.example.lu")
    factories.platform(code="lu", name="Kept", default_language="fr")
    response = client.patch(f"{API}/platforms/lu", json=body, headers=auth)
    assert response.status_code == status, response.text
    assert field in error_fields(response)
    db_session.rollback()
    platform = db_session.query(Platform).filter_by(code="lu").one()
    assert (platform.name, platform.domain, platform.default_language) == ("Kept", None, "fr")


def test_an_unknown_platform_is_404(client, auth):
    """GET and PATCH of a code no platform has answer 404 JSON."""
    assert client.get(f"{API}/platforms/nope").status_code == 404
    response = client.patch(f"{API}/platforms/nope", json={"name": "X"}, headers=auth)
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"
