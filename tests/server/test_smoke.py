"""First checks that the app starts, migrates and resolves requests."""


def test_health_answers_ok(client):
    """GET /health answers 200 with status ok."""
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_ready_reports_migrations_at_head(client):
    """GET /health/ready is 200 on a migrated database, and tells the public nothing more."""
    response = client.get("/health/ready")
    assert response.status_code == 200, response.text
    assert response.json() == {"status": "ready"}
    from orion_server.health import readiness

    assert readiness()[1]["migrations"]["ok"] is True


def test_ready_runs_each_enabled_modules_health_check(client):
    """The core module's health check is part of readiness."""
    from orion_server.health import readiness

    assert readiness()[1]["modules"]["core"] == {"ok": True}


def test_ready_is_503_when_a_health_check_fails(client, monkeypatch):
    """A failing module check makes readiness 503 with its sentence."""
    from orion_server.modules import registry
    from orion_server.modules.base import HealthResult

    monkeypatch.setattr(registry.get_module("core"), "health_check", lambda: HealthResult(False, "disk full"))
    response = client.get("/health/ready")
    assert response.status_code == 503
    assert response.json() == {"status": "not_ready"}  # which check and why: the admin's health page
    from orion_server.health import readiness

    assert readiness()[1]["modules"]["core"] == {"ok": False, "detail": "disk full"}
