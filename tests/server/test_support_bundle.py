"""`orion support-bundle`: a zip of logs, versions, module states and redacted settings."""

from __future__ import annotations

import json
import logging
import zipfile

import pytest

from tests.support.cli import Installation
from tests.support.databases import drop_database, fresh_database_url

SECRET = "Zz9-very-secret-key-value-0123456789abcdef"


@pytest.fixture
def install(tmp_path):
    url = fresh_database_url(tmp_path)
    installation = Installation(tmp_path / "data", url)
    result = installation.run("init", "--admin-email", "a@b.lu", "--admin-password", "a-long-password")
    assert result.returncode == 0, result.stderr
    yield installation
    drop_database(url)


def _seed_logs(install: Installation) -> None:
    from orion_server.logs import setup_logging, shutdown_logging

    setup_logging("test", logs_dir=install.data_dir / "logs")
    logging.getLogger("modules.payments.gateways").error("stripe failed with api_key=sk_test_abc123secret")
    shutdown_logging()


def test_bundle_holds_every_part_and_no_secret(install, tmp_path):
    """The zip is named with version and time, has each part, and no key, token or password."""
    _seed_logs(install)
    result = install.run("support-bundle", "--since", "24h", "--out", str(tmp_path), ORION_SECRET_KEY=SECRET)
    assert result.returncode == 0, result.stderr
    path = next(tmp_path.glob("orion-support-*.zip"))
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        assert {"versions.json", "system.json", "settings.json", "modules.json", "migrations.json", "logs.jsonl"} <= names
        everything = b"".join(archive.read(n) for n in names).decode()
        settings = json.loads(archive.read("settings.json"))
        modules = json.loads(archive.read("modules.json"))
        logs = archive.read("logs.jsonl").decode()
    assert SECRET not in everything and "sk_test_abc123secret" not in everything and "a-long-password" not in everything
    assert settings["secret_key"] == "***"
    assert modules["main"]["core"] is True
    assert "stripe failed" in logs


def test_list_shows_what_the_bundle_would_contain_and_writes_nothing(install, tmp_path):
    """--list previews the files with a sentence each."""
    result = install.run("support-bundle", "--list")
    assert result.returncode == 0
    assert "logs.jsonl" in result.stdout and "settings.json" in result.stdout
    assert not list(tmp_path.glob("*.zip"))


@pytest.mark.parametrize("window", ["yesterday", "0h", "-5m"])
def test_a_bad_time_window_is_one_readable_line(install, window):
    """An unreadable --since is refused with one line."""
    result = install.run("support-bundle", "--since", window)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
