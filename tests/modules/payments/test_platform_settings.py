"""The platform's own Stripe account (its stores pay their subscriptions through it): set by
platform admins on the admin page, secrets encrypted and never rendered back, audited, only on
platforms within the admin's reach."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from modules.payments.models import PlatformPaymentSettings
from modules.payments.services import platform_settings_service
from orion_server.models import AuditEntry
from tests.modules.payments import fakes
from tests.modules.payments.conftest import STRIPE

PAGE = "/admin/payments/platform"


@pytest.fixture
def platform(factories):
    return factories.platform(code="lux", name="Lux Shops")


@pytest.fixture
def csrf(client, factories, main_platform, platform):
    client.cookies.set("orion_lang", "en")
    return factories.login(client, factories.admin(email="admin@example.lu"))


def stored(db) -> PlatformPaymentSettings:
    db.rollback()
    return db.scalar(select(PlatformPaymentSettings))


def test_an_admin_sets_the_platforms_stripe_account_and_never_sees_its_secrets_again(client, db_session, platform, csrf):
    assert client.get(f"{PAGE}?platform=lux").status_code == 200

    saved = client.post(f"{PAGE}/stripe?platform=lux", data={"csrf_token": csrf, "enabled": "1", **STRIPE},
                        follow_redirects=False)

    assert saved.status_code == 303 and saved.headers["location"] == f"{PAGE}?platform=lux&done=saved"
    row = stored(db_session)
    assert (row.platform_id, row.gateway, row.enabled) == (platform.id, "stripe", True)
    assert row.settings["publishable_key"] == STRIPE["publishable_key"]
    for name in ("secret_key", "webhook_secret"):
        assert row.settings[name].startswith("fernet:") and STRIPE[name] not in str(row.settings)
    page = client.get(f"{PAGE}?platform=lux").text
    assert fakes.STRIPE_SECRET_KEY not in page and fakes.STRIPE_WEBHOOK_SECRET not in page
    assert "pk_test_fake_public" in page and "•••• " in page
    assert "/platforms/lux/api/v1/payments/webhooks/stripe" in page
    assert [v.code for v in platform_settings_service.enabled_gateways(db_session, platform_id=platform.id)] == ["stripe"]

    entry = db_session.scalar(select(AuditEntry).where(AuditEntry.action == "payments.platform_gateway.saved"))
    assert entry.actor_label == "admin@example.lu" and entry.platform_id == platform.id
    assert entry.details["after"]["enabled"] is True
    assert entry.details["secrets_typed"] == ["secret_key", "webhook_secret"]
    assert fakes.STRIPE_SECRET_KEY not in str(entry.details) and fakes.STRIPE_WEBHOOK_SECRET not in str(entry.details)


def test_an_empty_secret_keeps_the_stored_one_and_a_wrong_key_is_named(client, db_session, platform, csrf):
    client.post(f"{PAGE}/stripe?platform=lux", data={"csrf_token": csrf, "enabled": "1", **STRIPE})
    kept = client.post(f"{PAGE}/stripe?platform=lux", data={
        "csrf_token": csrf, "enabled": "1", "publishable_key": STRIPE["publishable_key"]}, follow_redirects=False)
    assert kept.status_code == 303
    db_session.rollback()
    gateway = platform_settings_service.gateway_for(db_session, platform_id=platform.id, code="stripe")
    assert gateway._secret_key == fakes.STRIPE_SECRET_KEY

    bad = client.post(f"{PAGE}/stripe?platform=lux", data={
        "csrf_token": csrf, "enabled": "1", "publishable_key": "nope", "secret_key": "nope"})
    assert bad.status_code == 422 and 'value="nope"' in bad.text
    assert stored(db_session).settings["publishable_key"] == STRIPE["publishable_key"]


def test_only_card_gateways_and_platforms_in_reach(client, factories, main_platform, platform, db_session):
    other = factories.platform(code="be")
    csrf = factories.login(client, factories.platform_admin(other))

    assert client.get(f"{PAGE}?platform=lux").status_code == 404
    assert client.post(f"{PAGE}/stripe?platform=lux", data={"csrf_token": csrf, "enabled": "1", **STRIPE}).status_code == 404
    assert stored(db_session) is None
    assert client.get(f"{PAGE}?platform=be").status_code == 200
    assert client.post(f"{PAGE}/bank_transfer?platform=be", data={"csrf_token": csrf}).status_code == 404


def test_store_staff_cannot_reach_the_page(client, factories, main_platform, platform):
    factories.owner(client, factories.store(platform, code="bakery"))
    assert client.get(f"{PAGE}?platform=lux").status_code in (302, 303, 401, 403, 404)
