"""Desktop console tests: Qt offscreen, and a throw-away Orion installation the console manages."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before anything imports Qt

import subprocess  # noqa: E402
import sys  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from tests.support.external_module import write_external_module  # noqa: E402

STORE = "bakery"
GIFTWRAP_PAGE = f"/platforms/main/storefront/{STORE}/gift-wrapping"
SWITCHED = ("ORION_DATA_DIR", "ORION_DATABASE_URL", "ORION_ENV", "ORION_MODULE_PATHS", "ORION_TASKS_IMMEDIATE")


@dataclass
class Installation:
    """An Orion data folder set up with ``orion init``, a store, and the giftwrap module on disk."""

    data_dir: Path
    env: dict[str, str]

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "orion_server", *args], env=self.env,
                              capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)


@pytest.fixture(scope="session")
def installation(tmp_path_factory) -> Installation:
    """One initialised installation for the desktop tests (SQLite, development mode)."""
    base = tmp_path_factory.mktemp("desktop-install")
    data_dir = base / "data"
    env = {k: v for k, v in os.environ.items() if not k.startswith("ORION_")}
    env.update(
        ORION_DATA_DIR=str(data_dir),
        ORION_DATABASE_URL=f"sqlite:///{data_dir / 'orion.db'}",
        ORION_ENV="development",
        ORION_MODULE_PATHS=str(write_external_module(base / "extra")),
        ORION_TASKS_IMMEDIATE="1",
    )
    install = Installation(data_dir, env)
    for args in (
        ("init", "--admin-email", "a@b.lu", "--admin-password", "long-password-1"),
        ("stores", "create", STORE, "--platform", "main", "--name", "Bakery"),
    ):
        result = install.run(*args)
        assert result.returncode == 0, result.stderr
    return install


def _switch_process_to(values: dict[str, str | None]) -> None:
    from orion_server.config import reset_settings
    from orion_server.database import db
    from orion_server.modules.registry import reload_registry
    from orion_server.revision import config_cache

    for name, value in values.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    reset_settings()
    db.dispose()
    reload_registry()
    config_cache.invalidate()


@pytest.fixture
def console_env(installation):
    """This process (the console) and its child servers use the installation; restored afterwards."""
    saved = {name: os.environ.get(name) for name in SWITCHED}
    _switch_process_to({name: installation.env.get(name) for name in SWITCHED})
    try:
        yield installation
    finally:
        _switch_process_to(saved)


@pytest.fixture
def runner(qapp):
    """The background-operation helper, drained after the test."""
    from orion_desktop.operations import OperationRunner

    operations = OperationRunner()
    yield operations
    operations.shutdown()


def wait_idle(qtbot, runner, timeout: int = 10_000) -> None:
    """Wait until no background operation runs."""
    qtbot.waitUntil(lambda: not runner.busy, timeout=timeout)
