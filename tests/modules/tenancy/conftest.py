"""Fixtures of the tenancy tests: a signed-in platform admin on an English admin."""

from __future__ import annotations

import pytest


@pytest.fixture
def admin(factories, main_platform):
    """A super admin (the main platform exists, as the admin pages need it)."""
    return factories.admin(email="admin@example.lu")


@pytest.fixture
def csrf(client, factories, admin) -> str:
    """Sign the admin in on ``client`` with English pages; the session's CSRF token."""
    client.cookies.set("orion_lang", "en")
    return factories.login(client, admin)


@pytest.fixture
def auth(csrf) -> dict[str, str]:
    """Headers of an API call by the signed-in admin."""
    return {"X-CSRF-Token": csrf}
