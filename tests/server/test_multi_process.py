"""Two server processes on one database see a module toggle made with the CLI within a second."""

from __future__ import annotations

import time

import httpx
import pytest

from tests.support.cli import Installation
from tests.support.databases import drop_database, fresh_database_url
from tests.support.external_module import write_external_module
from tests.support.servers import ServerProcess

pytestmark = pytest.mark.slow
PAGE = "/platforms/main/storefront/bakery/gift-wrapping"


@pytest.fixture
def installation(tmp_path):
    url = fresh_database_url(tmp_path)
    install = Installation(tmp_path / "data", url)
    extra = {"ORION_MODULE_PATHS": str(write_external_module(tmp_path / "extra"))}
    for args in (
        ("init", "--admin-email", "admin@example.lu", "--admin-password", "a-long-password"),
        ("stores", "create", "bakery", "--platform", "main", "--name", "Bakery"),
        ("modules", "enable", "giftwrap", "--platform", "main"),
    ):
        result = install.run(*args, **extra)
        assert result.returncode == 0, result.stderr
    yield install, extra, tmp_path
    drop_database(url)


def _first_status_change(servers: list[ServerProcess], expected: int, deadline: float) -> dict[int, float]:
    seen: dict[int, float] = {}
    start = time.monotonic()
    with httpx.Client(timeout=2.0) as http:
        while len(seen) < len(servers) and time.monotonic() - start < deadline:
            for server in servers:
                if server.port not in seen and http.get(server.base + PAGE).status_code == expected:
                    seen[server.port] = time.monotonic() - start
            time.sleep(0.02)
    return seen


def test_a_cli_toggle_reaches_two_running_servers_within_a_second(installation):
    """Disable then enable giftwrap with the CLI; both servers follow within 1 s, no restart."""
    install, extra, tmp_path = installation
    env = install.env(**extra)
    servers = [ServerProcess(env, tmp_path), ServerProcess(env, tmp_path)]
    try:
        for server in servers:
            server.wait_ready()
            assert httpx.get(server.base + PAGE).status_code == 200
        assert install.run("modules", "disable", "giftwrap", "--platform", "main", **extra).returncode == 0
        off = _first_status_change(servers, 404, deadline=3.0)
        assert len(off) == 2, f"servers did not follow the change: {off}"
        assert max(off.values()) < 1.0, f"seen after {off}"
        assert install.run("modules", "enable", "giftwrap", "--platform", "main", **extra).returncode == 0
        on = _first_status_change(servers, 200, deadline=3.0)
        assert len(on) == 2 and max(on.values()) < 1.0, f"seen after {on}"
    finally:
        for server in servers:
            server.stop()
