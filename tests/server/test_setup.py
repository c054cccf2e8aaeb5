"""``orion_server.setup.initialise``: the one set-up ``orion init`` and the console's wizard run.
It reports each step, asks for the admin's credentials only when an admin is missing, and stops
cleanly when cancelled, carrying on where it stopped when run again."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, select

from orion_server.config import reset_settings
from orion_server.database import db
from orion_server.models import Platform, User
from orion_server.setup import initialise, pending_migrations
from tests.support.databases import drop_database, fresh_database_url


class Stop(Exception):
    pass


@pytest.fixture
def empty_installation(tmp_path, monkeypatch):
    """The settings pointed at a data folder and a database nobody set up yet."""
    url = fresh_database_url(tmp_path)
    monkeypatch.setenv("ORION_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ORION_DATABASE_URL", url)
    reset_settings()
    db.dispose()
    yield url
    db.dispose()
    monkeypatch.undo()
    reset_settings()
    db.dispose()
    drop_database(url)


def _users_and_platforms(url: str) -> tuple[list[str], list[str]]:
    engine = create_engine(url)
    with engine.connect() as connection:
        users = list(connection.execute(select(User.email)).scalars())
        platforms = list(connection.execute(select(Platform.code)).scalars())
    engine.dispose()
    return users, platforms


def test_initialise_reports_every_step_and_sets_everything_up(empty_installation):
    steps: list[tuple[int, str]] = []
    asked: list[bool] = []

    def credentials():
        asked.append(True)
        return "boss@example.lu", "a-long-password"

    result = initialise(platform_name="Orion", admin_credentials=credentials,
                        progress=lambda percent, step: steps.append((percent, step.english())))
    texts = [text for _percent, text in steps]
    assert texts[0] == "Opening the database" and texts[-1] == "Orion is set up"
    assert texts.count("Creating the main platform") == 1 and texts.count("Creating the first admin") == 1
    migrations = [t for t in texts if t.startswith("Applying migration")]
    assert len(migrations) == result.migrations > 0
    assert migrations[0].startswith(f"Applying migration 1 of {result.migrations} (")
    percents = [percent for percent, _text in steps]
    assert percents == sorted(percents) and percents[-1] == 100
    assert result.platform_created and result.admin_created and result.admin_email == "boss@example.lu"
    assert asked == [True]
    assert _users_and_platforms(empty_installation) == (["boss@example.lu"], ["main"])
    again = initialise(platform_name="Orion", admin_credentials=lambda: pytest.fail("an admin exists"))
    assert (again.migrations, again.platform_created, again.admin_created) == (0, False, False)


def test_a_cancelled_set_up_stops_and_a_second_run_carries_on(empty_installation):
    calls = 0

    def cancel_after_two_migrations():
        nonlocal calls
        calls += 1
        if calls == 3:
            raise Stop

    with pytest.raises(Stop):
        initialise(platform_name="Orion", admin_credentials=lambda: ("boss@example.lu", "a-long-password"),
                   cancel=cancel_after_two_migrations)
    left = pending_migrations(db.engine)
    assert left  # stopped half-way: some migrations done, some not
    result = initialise(platform_name="Orion", admin_credentials=lambda: ("boss@example.lu", "a-long-password"))
    assert result.migrations == len(left) and result.admin_created
    assert pending_migrations(db.engine) == []
