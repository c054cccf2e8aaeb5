"""``GET /metrics``: Prometheus figures behind a token, summed over the server's workers."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.support.cli import Installation
from tests.support.databases import drop_database, fresh_database_url
from tests.support.servers import free_port

TOKEN = "scrape-token-for-the-tests-0123456789"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """``(name, sorted labels) -> value`` of every sample of an exposition."""
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def value(text: str, name: str, **labels: str) -> float | None:
    return samples(text).get((name, tuple(sorted(labels.items()))))


@pytest.fixture(scope="module")
def metrics_app(orion_app):
    """The application with a metrics token set (the suite's own app has none)."""
    from orion_server.app import create_app
    from orion_server.config import get_settings

    return create_app(get_settings().model_copy(update={"metrics_token": TOKEN}))


@pytest.fixture
def scraper(metrics_app, clean_db):
    from fastapi.testclient import TestClient

    with TestClient(metrics_app, base_url="http://testserver") as test_client:
        yield test_client


def test_metrics_are_not_found_while_no_token_is_set(client):
    """Without ORION_METRICS_TOKEN there are no metrics, with or without a token sent."""
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", headers=AUTH).status_code == 404


def test_metrics_refuse_a_scraper_without_the_token(scraper):
    """No token: 401 asking for a bearer token; a wrong one: 403; the right one: the figures."""
    missing = scraper.get("/metrics")
    assert missing.status_code == 401
    assert missing.headers["www-authenticate"].startswith("Bearer")
    assert "orion_http" not in missing.text
    assert scraper.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 403
    assert scraper.get("/metrics", headers={"Authorization": TOKEN}).status_code == 401  # no scheme
    answer = scraper.get("/metrics", headers=AUTH)
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain")


def test_requests_are_counted_per_route_template_and_module(scraper, factories):
    """A product page counts under its route template and module, not the visited path; an
    unknown path adds no series of its own."""
    before = scraper.get("/metrics", headers=AUTH).text
    platform = factories.platform(code="shop")
    store = factories.shop(platform, modules=("catalog",), code="bakery")
    factories.product(store, "bread")
    factories.db.commit()
    for _ in range(3):
        assert scraper.get("/health").status_code == 200
    assert scraper.get("/platforms/shop/storefront/bakery/products/bread").status_code == 200
    assert scraper.get("/platforms/shop/storefront/bakery/products/no-such-bread").status_code == 404
    scraper.get("/nothing/here-1")
    scraper.get("/nothing/here-2")
    text = scraper.get("/metrics", headers=AUTH).text
    key = {"module": "framework", "route": "/health", "method": "GET", "status": "2xx"}
    assert value(text, "orion_http_requests_total", **key) - (value(before, "orion_http_requests_total", **key) or 0) == 3
    product = [labels for (name, labels), _ in samples(text).items()
               if name == "orion_http_requests_total" and "products/{" in dict(labels)["route"]]
    assert {dict(labels)["module"] for labels in product} == {"catalog"}
    assert {dict(labels)["status"] for labels in product} == {"2xx", "4xx"}
    assert "here-1" not in text and "bread" not in text
    assert value(text, "orion_http_request_duration_seconds_count", module="framework", route="/health") >= 3


def test_state_gauges_come_from_the_modules_and_the_outboxes(scraper, factories, db_session):
    """Orders per status, open carts and the e-mail outbox come from the modules' providers
    per platform; the event outbox backlog and the task queue from the framework."""
    from modules.cart.models import Cart
    from orion_server.models import EventRecord

    platform = factories.platform(code="shop")
    store = factories.shop(platform, modules=("orders", "cart", "messaging"), code="bakery")
    factories.order(store)
    factories.order(store, paid=True)
    factories.order(store, paid=True)
    soon = datetime.now(UTC) + timedelta(days=1)
    db_session.add_all([
        Cart(store_id=store.id, status="open", expires_at=soon),
        Cart(store_id=store.id, status="open", expires_at=datetime.now(UTC) - timedelta(days=1)),
        Cart(store_id=store.id, status="converted", expires_at=soon),
    ])
    db_session.add(EventRecord(name="probe", payload={}, platform_id=platform.id))
    db_session.commit()
    text = scraper.get("/metrics", headers=AUTH).text
    assert value(text, "orion_orders", platform="shop", status="paid") == 2
    assert value(text, "orion_orders", platform="shop", status="pending_payment") == 1
    assert value(text, "orion_orders", platform="shop", status="refunded") == 0
    assert value(text, "orion_cart_open_carts", platform="shop") == 1
    assert value(text, "orion_email_outbox", platform="shop", status="queued") is not None
    assert value(text, "orion_event_outbox", state="pending") >= 1
    assert value(text, "orion_task_queue", kind="pending") is not None
    assert value(text, "orion_db_pool_connections", state="in_use") is not None


def test_tasks_are_counted_with_their_outcome_and_duration(scraper):
    """huey's signals count each task run, completed or failed, with its time."""
    from orion_server.task_queue import huey

    @huey.task(name="tests.metrics_probe")
    def probe(fail: bool) -> str:
        if fail:
            raise ValueError("asked to fail")
        return "done"

    before = scraper.get("/metrics", headers=AUTH).text
    probe(False)
    probe(False)
    probe(True)
    text = scraper.get("/metrics", headers=AUTH).text

    def grew(name: str, **labels: str) -> float:
        return (value(text, name, **labels) or 0) - (value(before, name, **labels) or 0)

    assert grew("orion_tasks_total", task="tests.metrics_probe", outcome="complete") == 2
    assert grew("orion_tasks_total", task="tests.metrics_probe", outcome="error") == 1
    assert grew("orion_task_duration_seconds_count", task="tests.metrics_probe") == 3


def test_two_server_workers_add_up_and_the_token_is_needed(tmp_path):
    """``orion serve --workers 2``: every request sent is counted once, whichever worker
    answered it, and /metrics refuses a scraper without the token."""
    installation = Installation(tmp_path / "data", fresh_database_url(tmp_path))
    init = installation.run("init", "--admin-email", "admin@example.lu", "--admin-password", "Metrics-pass-2026")
    assert init.returncode == 0, init.stdout + init.stderr
    stale = tmp_path / "data" / "metrics" / "counter_1.db"
    stale.parent.mkdir(parents=True, exist_ok=True)
    stale.write_bytes(b"left by a server that stopped long ago")
    port = free_port()
    log = (tmp_path / "server.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "orion_server", "serve", "--port", str(port), "--workers", "2", "--no-worker"],
        env=installation.env(ORION_METRICS_TOKEN=TOKEN), stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, (tmp_path / "server.log").read_text()[-3000:]
            try:
                if httpx.get(f"{base}/health/ready", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "not ready within 60 s"
            time.sleep(0.05)
        assert not stale.exists(), "the metrics folder is emptied when the server starts"
        sent = 40
        pids = set()
        for _ in range(sent):  # a new connection each time, so both workers answer some
            with httpx.Client() as http:
                assert http.get(f"{base}/health").status_code == 200
        assert httpx.get(f"{base}/metrics").status_code == 401
        assert httpx.get(f"{base}/metrics", headers={"Authorization": "Bearer nope"}).status_code == 403
        answer = httpx.get(f"{base}/metrics", headers=AUTH)
        assert answer.status_code == 200
        counted = value(answer.text, "orion_http_requests_total",
                        module="framework", route="/health", method="GET", status="2xx")
        assert counted == sent
        pids = {path.name.rsplit("_", 1)[1] for path in (tmp_path / "data" / "metrics").glob("counter_*.db")}
        assert len(pids) == 2, pids  # both workers counted (and added up to what was sent)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        log.close()
        drop_database(installation.database_url)


def test_the_grafana_dashboard_reads_only_metrics_orion_exposes(scraper, factories):
    """Every series packaging/grafana/orion.json queries is one /metrics serves."""
    import json
    import re
    from pathlib import Path

    from orion_server.task_queue import huey

    @huey.task(name="tests.metrics_dashboard_probe")
    def probe() -> None:
        return None

    factories.shop(factories.platform(code="shop"), modules=("orders", "cart", "messaging"), code="bakery")
    factories.db.commit()
    probe()
    scraper.get("/health")
    exposed = {name for name, _ in samples(scraper.get("/metrics", headers=AUTH).text)}
    dashboard = json.loads((Path(__file__).parents[2] / "packaging" / "grafana" / "orion.json").read_text())
    queried = {name for panel in dashboard["panels"] for target in panel.get("targets", [])
               for name in re.findall(r"\borion_[a-z_]+", target["expr"])}
    assert queried, "the dashboard queries nothing"
    assert queried <= exposed, queried - exposed
