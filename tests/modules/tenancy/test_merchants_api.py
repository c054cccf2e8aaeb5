"""Merchants through the admin API: create and list per platform."""

from __future__ import annotations

import pytest

from orion_server.models import Merchant
from tests.modules.tenancy.helpers import API, count, error_fields


@pytest.fixture
def platform(factories, main_platform):
    """A second platform, besides the main one."""
    return factories.platform(code="letzshop", name="Letzshop")


def test_admin_creates_a_merchant_and_finds_it_under_its_platform(client, auth, platform):
    """POST /merchants answers 201; GET /merchants?platform= lists only that platform's."""
    response = client.post(
        f"{API}/merchants",
        json={
            "platform": "letzshop",
            "name": "Boulangerie Dupont SARL",
            "contact_email": "Contact@Dupont.lu",
            "contact_phone": "+352 12 34 56",
            "website": "https://dupont.lu",
            "tax_number": "LU12345678",
        },
        headers=auth,
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["platform"], body["contact_email"], body["is_verified"]) == (
        "letzshop",
        "contact@dupont.lu",
        False,
    )
    client.post(f"{API}/merchants", json={"platform": "main", "name": "Elsewhere"}, headers=auth)
    listed = client.get(f"{API}/merchants", params={"platform": "letzshop"}).json()
    assert [m["name"] for m in listed["items"]] == ["Boulangerie Dupont SARL"]
    assert client.get(f"{API}/merchants").json()["total"] == 2


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"platform": "nowhere"}, "platform"),
        ({"name": ""}, "name"),
        ({"contact_email": "not-an-address"}, "contact_email"),
        ({"website": "dupont.lu"}, "website"),
        ({"website": "javascript:alert(1)"}, "website"),
        ({"tax_number": "x" * 51}, "tax_number"),
        ({"verified": True}, "verified"),
    ],
)
def test_creating_an_invalid_merchant_is_422_and_creates_nothing(
    client, auth, platform, db_session, changes, field
):
    """Every invalid field is named in a 422 answer and no merchant is created."""
    body = {"platform": "letzshop", "name": "Dupont", **changes}
    response = client.post(f"{API}/merchants", json=body, headers=auth)
    assert response.status_code == 422, response.text
    assert field in error_fields(response)
    assert count(db_session, Merchant) == 0


def test_a_merchant_name_is_unique_per_platform(client, auth, platform, db_session):
    """The same name twice on one platform is 409; on another platform it is fine."""
    body = {"platform": "letzshop", "name": "Dupont SARL"}
    assert client.post(f"{API}/merchants", json=body, headers=auth).status_code == 201
    again = client.post(f"{API}/merchants", json={**body, "name": "dupont sarl"}, headers=auth)
    assert (again.status_code, again.json()["field"]) == (409, "name")
    elsewhere = client.post(f"{API}/merchants", json={**body, "platform": "main"}, headers=auth)
    assert elsewhere.status_code == 201
    assert count(db_session, Merchant) == 2


def test_listing_merchants_of_an_unknown_platform_is_422(client, auth):
    """The platform filter must name an existing platform."""
    response = client.get(f"{API}/merchants", params={"platform": "nowhere"})
    assert response.status_code == 422
    assert error_fields(response) == {"platform"}
