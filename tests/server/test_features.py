"""Features by plan: ``require_feature`` on a route and ``ensure_feature`` in a service ask the
plans' provider (billing) through the contract; a locked feature is 403 with what to do."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from modules.billing.services.subscription_service import subscription_service
from modules.contracts.tier_limits import TierLimits
from orion_server.app import create_app
from orion_server.features import FeatureLockedError, ensure_feature, has_feature, require_feature
from orion_server.providers import override

pytestmark = pytest.mark.usefixtures("clean_db")


@pytest.fixture(scope="module")
def gated_app(orion_engine):
    """The application with one store route behind the analytics dashboard feature."""
    app = create_app()

    def dashboard(store_code: str) -> dict:
        return {"open": True}

    app.router.add_api_route("/api/v1/store/{store_code}/feature-check", dashboard,
                             dependencies=[require_feature("analytics_dashboard")])
    return app


@pytest.fixture
def store(factories):
    return factories.store(factories.platform(code="lux"), code="bakery")


def test_a_store_on_essential_is_told_which_plan_includes_the_feature(store, db_session):
    """Essential (the trial's tier) has basic analytics, not the dashboard (Professional)."""
    assert has_feature(db_session, store_id=store.id, feature="basic_analytics")
    assert not has_feature(db_session, store_id=store.id, feature="analytics_dashboard")
    with pytest.raises(FeatureLockedError) as locked:
        ensure_feature(db_session, store_id=store.id, feature="analytics_dashboard", language="fr")
    assert str(locked.value) == ("Tableau de bord analytique fait partie de la formule Professional et des suivantes ; "
                                 "cette boutique est en formule Essential. Le propriétaire de la boutique peut changer "
                                 "de formule dans Facturation.")
    assert locked.value.needed_tier == "Professional"

    subscription_service.activate(db_session, store_id=store.id, tier="professional")
    ensure_feature(db_session, store_id=store.id, feature="analytics_dashboard")
    assert not has_feature(db_session, store_id=store.id, feature="custom_reports")  # Enterprise's
    assert not has_feature(db_session, store_id=store.id, feature="no_such_feature")


def test_a_gated_route_answers_403_with_the_upgrade_message_then_200_after_the_upgrade(gated_app, store, db_session):
    with TestClient(gated_app) as client:
        locked = client.get("/api/v1/store/bakery/feature-check?lang=en")
        assert locked.status_code == 403, locked.text
        assert locked.json()["error"] == "feature_locked"
        assert "part of the Professional plan and above; this store is on Essential" in locked.json()["message"]

        subscription_service.activate(db_session, store_id=store.id, tier="business")
        assert client.get("/api/v1/store/bakery/feature-check").json() == {"open": True}


def test_without_a_provider_of_plans_every_feature_is_open(store, db_session):
    with override(TierLimits):
        assert has_feature(db_session, store_id=store.id, feature="custom_reports")
        ensure_feature(db_session, store_id=store.id, feature="custom_reports")
