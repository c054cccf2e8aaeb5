"""First checks that the app starts, migrates and resolves requests."""


def test_health_answers_ok(client):
    """GET /health answers 200 with status ok."""
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_ready_reports_migrations_at_head(client):
    """GET /health/ready is 200 on a migrated database."""
    response = client.get("/health/ready")
    assert response.status_code == 200, response.text
    assert response.json()["checks"]["migrations"]["ok"] is True
