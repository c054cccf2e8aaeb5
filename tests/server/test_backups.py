"""Backups: made with the online backup API or pg_dump, checked, restored, pruned, and the CLI lines."""

from __future__ import annotations

import json
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from orion_server import backups
from orion_server.backups import (
    BackupError,
    BackupSettings,
    backup_due,
    create_backup,
    find_backup,
    integrity_problem,
    list_backups,
    load_backup_settings,
    prune,
    restore_backup,
    run_daily_backup,
    save_backup_settings,
)
from orion_server.config import Settings
from orion_server.database import make_engine
from orion_server.migrations import upgrade
from orion_server.models import Platform
from tests.support.cli import Installation
from tests.support.databases import drop_database, fresh_database_url

DAY0 = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)


@dataclass
class Setup:
    settings: Settings
    engine: Engine

    def platforms(self) -> dict[str, str]:
        with Session(self.engine) as session:
            return {p.code: p.name for p in session.scalars(select(Platform))}

    def add_platform(self, code: str, name: str) -> None:
        from orion_server.tenancy import tenancy_service

        with Session(self.engine) as session:
            tenancy_service.create_platform(session, code=code, name=name)
            session.commit()


@pytest.fixture
def setup(tmp_path):
    """A migrated database of the kind under test holding one platform, and settings naming it."""
    url = fresh_database_url(tmp_path)
    if url.startswith("postgresql") and not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        drop_database(url)
        pytest.skip("pg_dump and pg_restore are not installed (apt install postgresql-client)")
    engine = make_engine(url)
    upgrade(engine)
    settings = Settings(data_dir=tmp_path / "data", database_url=url, env="test", secret_key="k" * 40)
    made = Setup(settings, engine)
    made.add_platform("alpha", "Alpha market")
    yield made
    engine.dispose()
    drop_database(url)


def test_a_backup_is_checked_listed_and_restores_the_data_as_it_was(setup):
    """Back up, change the data, restore: the data is back and the later change gone."""
    steps = []
    info = create_backup(setup.settings, reason="manual", progress=lambda p, t: steps.append(p))
    assert info.path.parent == setup.settings.data_dir / "backups"
    assert info.name.startswith("orion-0.1.0-") and info.name.endswith(
        "-manual.sqlite3" if setup.settings.is_sqlite else "-manual.dump")
    assert info.size > 0 and steps
    assert list_backups(setup.settings) == [info]
    assert sorted(p.name for p in info.path.parent.iterdir()) == [info.name]  # no -wal, -shm or .part
    if setup.settings.is_sqlite:
        assert integrity_problem(info.path) is None
        assert steps[-1] == 100

    setup.add_platform("beta", "Beta market")
    with Session(setup.engine) as session:
        session.scalar(select(Platform).where(Platform.code == "alpha")).name = "Renamed"
        session.commit()
    assert setup.platforms() == {"alpha": "Renamed", "beta": "Beta market"}

    setup.engine.dispose()
    restore_backup(setup.settings, info.name)
    assert setup.platforms() == {"alpha": "Alpha market"}


def test_a_damaged_backup_is_refused_and_the_database_is_left_alone(setup):
    """A truncated backup is refused with a sentence naming it; the live data stays."""
    info = create_backup(setup.settings, reason="manual")
    content = info.path.read_bytes()
    info.path.write_bytes(content[: len(content) // 3])
    setup.add_platform("beta", "Beta market")
    setup.engine.dispose()
    with pytest.raises(BackupError) as raised:
        restore_backup(setup.settings, info.path)
    assert info.name in raised.value.message or "pg_restore" in raised.value.message
    assert setup.platforms() == {"alpha": "Alpha market", "beta": "Beta market"}


def test_a_file_that_is_no_database_is_not_taken_for_a_backup(setup, tmp_path):
    """Garbage named like a backup fails the integrity check; an unknown file is no backup at all."""
    fake = setup.settings.data_dir / "backups" / "orion-0.1.0-20260101T000000Z-manual.sqlite3"
    fake.parent.mkdir(parents=True)
    fake.write_bytes(b"not a database at all" * 100)
    assert integrity_problem(fake)
    if setup.settings.is_sqlite:
        with pytest.raises(BackupError, match="damaged or not an Orion backup"):
            restore_backup(setup.settings, fake.name)
    else:
        with pytest.raises(BackupError, match="SQLite backup and cannot be restored into this PostgreSQL"):
            restore_backup(setup.settings, fake.name)
    other = tmp_path / "notes.txt"
    other.write_text("hello")
    with pytest.raises(BackupError, match="is not an Orion backup"):
        find_backup(setup.settings, other)
    with pytest.raises(BackupError, match="there is no backup"):
        find_backup(setup.settings, "missing.sqlite3")
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).execute("CREATE TABLE t (x)").connection.commit()
    assert integrity_problem(empty) == "it holds no Orion tables"


def test_prune_keeps_the_newest_automatic_backups_and_every_manual_one(setup):
    """Five daily backups pruned to three: the two oldest go; manual and pre-upgrade ones stay."""
    autos = [create_backup(setup.settings, reason="auto", now=DAY0 + timedelta(days=n)) for n in range(5)]
    manual = create_backup(setup.settings, reason="manual", now=DAY0 - timedelta(days=3))
    before_upgrade = create_backup(setup.settings, reason="pre-upgrade", now=DAY0 - timedelta(days=2))
    removed = prune(setup.settings, 3)
    assert [r.name for r in removed] == [autos[1].name, autos[0].name]
    assert [b.name for b in list_backups(setup.settings)] == [
        autos[4].name, autos[3].name, autos[2].name, before_upgrade.name, manual.name]


def test_two_backups_in_the_same_second_get_different_names(setup):
    first = create_backup(setup.settings, reason="manual", now=DAY0)
    second = create_backup(setup.settings, reason="manual", now=DAY0)
    assert first.name != second.name and second.created_at == DAY0 + timedelta(seconds=1)


def test_the_daily_backup_is_made_once_a_day_and_pruned(setup):
    """Due when there is none or the last is (nearly) a day old; the retention count is applied."""
    assert backup_due(None, DAY0)
    assert not backup_due(DAY0, DAY0 + timedelta(hours=12))
    assert backup_due(DAY0, DAY0 + timedelta(hours=23))  # the hourly check must not drift later each day
    assert backup_due(DAY0, DAY0 + timedelta(days=3))

    first = run_daily_backup(setup.settings, 2, now=DAY0)
    assert first is not None and first.reason == "auto"
    assert run_daily_backup(setup.settings, 2, now=DAY0 + timedelta(hours=5)) is None
    run_daily_backup(setup.settings, 2, now=DAY0 + timedelta(days=1))
    third = run_daily_backup(setup.settings, 2, now=DAY0 + timedelta(days=2))
    names = [b.name for b in list_backups(setup.settings)]
    assert len(names) == 2 and names[0] == third.name and first.name not in names


def test_backup_settings_are_kept_in_a_small_json_file(tmp_path):
    settings = Settings(data_dir=tmp_path / "data", env="test", secret_key="k" * 40)
    assert load_backup_settings(settings) == BackupSettings(enabled=True, retention=7)
    save_backup_settings(settings, BackupSettings(enabled=False, retention=3))
    assert json.loads((tmp_path / "data" / "backup_settings.json").read_text()) == {"enabled": False, "retention": 3}
    assert load_backup_settings(settings) == BackupSettings(enabled=False, retention=3)
    with pytest.raises(BackupError, match="keep between 1 and 365"):
        save_backup_settings(settings, BackupSettings(enabled=True, retention=0))
    (tmp_path / "data" / "backup_settings.json").write_text("{broken")
    assert load_backup_settings(settings) == BackupSettings()


def test_a_bad_reason_is_refused(tmp_path):
    settings = Settings(data_dir=tmp_path / "data", env="test", secret_key="k" * 40)
    with pytest.raises(BackupError, match="cannot be part of a file name"):
        create_backup(settings, reason="../../etc")


def test_without_pg_dump_a_postgresql_backup_says_how_to_get_it(tmp_path, monkeypatch):
    """No pg_dump on PATH: one sentence naming pg_dump and the package; the password appears nowhere."""
    monkeypatch.setenv("PATH", str(tmp_path))
    settings = Settings(data_dir=tmp_path / "data", env="test", secret_key="k" * 40,
                        database_url="postgresql+psycopg://orion:s3cret-pw@127.0.0.1:5432/orion")
    with pytest.raises(BackupError) as raised:
        create_backup(settings, reason="manual")
    message = raised.value.message
    assert "pg_dump is not installed" in message and "postgresql-client" in message
    assert "s3cret-pw" not in message
    assert not list_backups(settings)


def test_a_postgresql_backup_passes_the_password_in_the_environment_only(tmp_path):
    settings = Settings(data_dir=tmp_path / "data", env="test", secret_key="k" * 40,
                        database_url="postgresql+psycopg://orion:s3cret-pw@db.example:6543/shop?sslmode=require")
    args, env, database = backups._pg_connection(settings)
    assert args == ["--host", "db.example", "--port", "6543", "--username", "orion"] and database == "shop"
    assert env["PGPASSWORD"] == "s3cret-pw" and env["PGSSLMODE"] == "require"
    assert "s3cret-pw" not in " ".join(args)


# -- the CLI ---------------------------------------------------------------------------------


@pytest.fixture
def ready(tmp_path):
    url = fresh_database_url(tmp_path)
    if url.startswith("postgresql") and not shutil.which("pg_dump"):
        drop_database(url)
        pytest.skip("pg_dump is not installed (apt install postgresql-client)")
    install = Installation(tmp_path / "data", url)
    result = install.run("init", "--admin-email", "admin@example.lu", "--admin-password", "a-long-password")
    assert result.returncode == 0, result.stderr
    yield install
    drop_database(url)


def test_the_cli_backs_up_lists_and_restores_with_one_line_errors(ready):
    """`orion db backup`, `orion db backups`, `orion db restore FILE --yes`; refusals are one line."""
    made = ready.run("db", "backup")
    assert made.returncode == 0, made.stderr
    assert made.stdout.startswith("Backed up the database to ") and str(ready.data_dir / "backups") in made.stdout
    listed = json.loads(ready.run("db", "backups", "--json").stdout)
    assert len(listed) == 1 and listed[0]["reason"] == "manual"
    name = listed[0]["name"]
    assert name in ready.run("db", "backups").stdout

    created = ready.run("platforms", "create", "later", "--name", "Made later")
    assert created.returncode == 0, created.stderr

    refused = ready.run("db", "restore", name)
    assert refused.returncode == 1
    assert refused.stderr.strip().splitlines() == [
        "error: restoring replaces the database's current content: run again with --yes to confirm"]
    missing = ready.run("db", "restore", "nothing-here.sqlite3", "--yes")
    assert missing.returncode == 1 and len(missing.stderr.strip().splitlines()) == 1
    assert "there is no backup 'nothing-here.sqlite3'" in missing.stderr
    bad = ready.run("db", "backup", "--reason", "Not Good")
    assert bad.returncode == 1 and bad.stderr.startswith("error: the reason 'Not Good' cannot be part of a file name")

    restored = ready.run("db", "restore", name, "--yes")
    assert restored.returncode == 0, restored.stderr
    assert restored.stdout.startswith(f"Restored {name}")
    codes = {p["code"] for p in json.loads(ready.run("platforms", "list", "--json").stdout)}
    assert codes == {"main"}
    for result in (refused, missing, bad):
        assert "Traceback" not in result.stderr


def test_the_cli_says_when_there_is_no_backup_yet(ready):
    result = ready.run("db", "backups")
    assert result.returncode == 0
    assert result.stdout.startswith("No backups yet in ") and "orion db backup" in result.stdout


def test_backups_folder_holds_only_finished_files(setup):
    """A cancelled backup leaves nothing behind."""

    class CancelAtOnce:
        def raise_if_cancelled(self) -> None:
            raise RuntimeError("cancelled")

    with pytest.raises(RuntimeError):
        create_backup(setup.settings, reason="manual", cancel=CancelAtOnce())
    folder = setup.settings.data_dir / "backups"
    assert not list(Path(folder).iterdir())
