"""One version number, pyproject.toml's: the CLI, the admin's readiness details, the support
bundle and the console's About box all show it."""

from __future__ import annotations

import json
import tomllib
import zipfile
from datetime import timedelta
from pathlib import Path

from orion_server import __version__
from tests.support.cli import Installation

PROJECT_VERSION = tomllib.loads((Path(__file__).resolve().parents[2] / "pyproject.toml").read_text())["project"]["version"]


def test_the_package_reports_pyproject_tomls_version():
    assert __version__ == PROJECT_VERSION


def test_orion_version_prints_it(tmp_path):
    result = Installation(tmp_path / "data", f"sqlite:///{tmp_path / 'o.db'}").run("--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"orion, version {PROJECT_VERSION}"


def test_the_admins_readiness_details_and_the_support_bundle_carry_it(client, factories, main_platform, db_session,
                                                                    tmp_path):
    from orion_server.modules.service import module_service

    module_service.enable_module(db_session, main_platform.id, "monitoring")
    db_session.commit()
    factories.login(client, factories.admin())
    assert client.get("/api/v1/admin/monitoring/ready").json()["version"] == PROJECT_VERSION

    from orion_server.support_bundle import write_bundle

    path = write_bundle(timedelta(hours=1), tmp_path / "bundle.zip")
    with zipfile.ZipFile(path) as bundle:
        assert json.loads(bundle.read("versions.json"))["orion"] == PROJECT_VERSION
