"""Fixtures of the browser journeys: a demo installation served by a real ``orion serve`` with
its task consumer and a local SMTP server, and Debian's Chromium (one of each per test module)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    PLATFORM,
    REPO,
    STAFF_EMAIL,
    STAFF_PASSWORD,
    STORE,
    Journey,
    ensure_axe,
)
from tests.modules.messaging.conftest import SmtpServer
from tests.support.cli import Installation
from tests.support.databases import drop_database, fresh_database_url
from tests.support.servers import ServerProcess, free_port


@pytest.fixture(scope="module")
def journey(tmp_path_factory) -> Iterator[Journey]:
    """A demo installation served by a real ``orion serve`` with its task consumer."""
    tmp = tmp_path_factory.mktemp("journey")
    url = fresh_database_url(tmp)
    installation = Installation(data_dir=tmp / "data", database_url=url)
    smtp = SmtpServer()
    server = None
    try:
        for args in (("init", "--admin-email", "admin@example.lu", "--admin-password", "Admin-pass-2026"),
                     ("demo",)):
            result = installation.run(*args)
            assert result.returncode == 0, result.stdout + result.stderr
        smtp.start()
        prepared = subprocess.run(
            [sys.executable, "-m", "tests.e2e.prepare", "--smtp-port", str(smtp.port),
             "--staff-email", STAFF_EMAIL, "--staff-password", STAFF_PASSWORD],
            env=installation.env(), cwd=REPO, capture_output=True, text=True, timeout=120,
        )
        assert prepared.returncode == 0, prepared.stdout + prepared.stderr
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        # queued tasks (not immediate): the consumer beside the server sends the e-mails
        env = installation.env(ORION_BASE_URL=base, ORION_TASKS_IMMEDIATE="0")
        server = ServerProcess(env, tmp, port=port, worker=True)
        server.wait_ready(timeout=60)
        screens = Path(os.environ.get("ORION_SCREENSHOT_DIR") or tmp / "journey-screens")
        screens.mkdir(parents=True, exist_ok=True)
        yield Journey(base=base, storefront=f"{base}/platforms/{PLATFORM}/storefront/{STORE}/",
                      smtp=smtp, screens=screens, log=server.log_path)
    finally:
        if server is not None:
            server.stop()
        smtp.stop()
        drop_database(url)


@pytest.fixture(scope="session")
def axe_script() -> str:
    """axe-core's browser script, from the npm package pinned in tests/e2e/package-lock.json.

    ``npm ci`` installs it into tests/e2e/node_modules on a fresh clone (and again when the lock
    names another version); without npm the accessibility checks are skipped, saying why."""
    script = ensure_axe()
    if script is None:
        pytest.skip("the accessibility checks need npm (Debian's npm package) to install axe-core "
                    "from tests/e2e/package-lock.json")
    return script


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
