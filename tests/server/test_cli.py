"""The ``orion`` command: shapes scripts depend on, and one readable line for every error."""

from __future__ import annotations

import json
import os
import stat

import pytest

from tests.support.cli import Installation
from tests.support.databases import drop_database, fresh_database_url


@pytest.fixture
def install(tmp_path):
    url = fresh_database_url(tmp_path)
    yield Installation(tmp_path / "data", url)
    drop_database(url)


@pytest.fixture
def ready(install):
    """An initialised installation."""
    result = install.run("init", "--admin-email", "admin@example.lu", "--admin-password", "a-long-password")
    assert result.returncode == 0, result.stderr
    return install


def _no_traceback(result) -> None:
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout


def test_init_without_a_terminal_generates_and_prints_the_password(install):
    """Non-interactive init creates the admin with a generated password shown once."""
    result = install.run("init", "--admin-email", "boss@example.lu")
    assert result.returncode == 0, result.stderr
    assert "Created the admin boss@example.lu" in result.stdout
    assert "password" in result.stdout.lower()
    key = install.data_dir / "secret_key"
    assert key.exists() and stat.S_IMODE(os.stat(key).st_mode) == 0o600


def test_init_reads_the_admin_password_from_stdin_or_the_environment(tmp_path):
    """No password on the command line (where a process listing shows it): standard input or
    ORION_ADMIN_PASSWORD; the first admin can sign in with it."""
    from sqlalchemy import create_engine, text

    from orion_server.auth.passwords import verify_password

    for how in ("stdin", "env"):
        url = fresh_database_url(tmp_path / how)
        install = Installation(tmp_path / how / "data", url)
        try:
            if how == "stdin":
                result = install.run("init", "--admin-email", "boss@example.lu", "--admin-password-stdin",
                                     input="from-standard-input\n")
            else:
                result = install.run("init", "--admin-email", "boss@example.lu",
                                     ORION_ADMIN_PASSWORD="from-the-environment")
            assert result.returncode == 0, result.stderr
            assert "shown once" not in result.stdout  # nothing was generated
            engine = create_engine(url)
            with engine.connect() as connection:
                hashed = connection.execute(text("SELECT password_hash FROM users WHERE email = 'boss@example.lu'")).scalar()
            engine.dispose()
            assert verify_password(hashed, "from-standard-input" if how == "stdin" else "from-the-environment")
        finally:
            drop_database(url)


def test_init_with_an_empty_stdin_password_says_so(install):
    result = install.run("init", "--admin-password-stdin", input="")
    assert result.returncode != 0
    assert "standard input held no password" in result.stderr
    _no_traceback(result)


def test_init_twice_changes_nothing_and_says_so(ready):
    """Running init on an initialised installation is a no-op."""
    result = ready.run("init")
    assert result.returncode == 0
    assert "nothing changed" in result.stdout


def test_platforms_and_stores_create_and_list(ready):
    """`orion platforms create` and `orion stores create` with the documented shapes."""
    created = ready.run("platforms", "create", "market", "--name", "Market", "--domain", "market.lu")
    assert created.returncode == 0, created.stderr
    store = ready.run("stores", "create", "books", "--platform", "market", "--name", "Books", "--subdomain", "livres")
    assert store.returncode == 0, store.stderr
    platforms = json.loads(ready.run("platforms", "list", "--json").stdout)
    assert {p["code"] for p in platforms} == {"main", "market"}
    stores = json.loads(ready.run("stores", "list", "--platform", "market", "--json").stdout)
    assert stores == [{"code": "books", "name": "Books", "platform": "market", "subdomain": "livres"}]


def test_modules_list_json_has_code_tier_requires_enabled(ready):
    """`orion modules list --json` prints the documented objects."""
    result = ready.run("modules", "list", "--platform", "main", "--json")
    modules = {m["code"]: m for m in json.loads(result.stdout)}
    assert modules["checkout"]["tier"] == "optional"
    assert set(modules["checkout"]["requires"]) == {"cart", "orders", "customers"}
    assert modules["core"]["enabled"] is True and modules["checkout"]["enabled"] is False
    assert modules["dev-tools"]["tier"] == "internal"


def test_modules_enable_dry_run_json_prints_the_cascade_and_changes_nothing(ready):
    """--dry-run --json prints {"changed": [...]} and leaves the module off."""
    result = ready.run("modules", "enable", "checkout", "--platform", "main", "--dry-run", "--json")
    assert json.loads(result.stdout)["changed"] == ["inventory", "cart", "orders", "checkout"]
    modules = {m["code"]: m for m in json.loads(ready.run("modules", "list", "--json").stdout)}
    assert modules["checkout"]["enabled"] is False


def test_modules_enable_then_disable_report_what_changed(ready):
    """enable and disable print the codes whose state changed, in order."""
    enabled = ready.run("modules", "enable", "checkout", "--platform", "main", "--json")
    assert json.loads(enabled.stdout)["changed"] == ["inventory", "cart", "orders", "checkout"]
    disabled = ready.run("modules", "disable", "inventory", "--platform", "main", "--json")
    assert json.loads(disabled.stdout)["changed"][-1] == "inventory"
    assert set(json.loads(disabled.stdout)["changed"]) == {"inventory", "cart", "checkout"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("modules", "disable", "billing"), "core module"),
        (("modules", "enable", "nope"), "unknown module 'nope'"),
        (("modules", "list", "--platform", "ghost"), "no platform with code 'ghost'"),
        (("platforms", "create", "main", "--name", "Again"), "already exists"),
        (("platforms", "create", "Bad Code!", "--name", "X"), "lowercase letters"),
        (("stores", "create", "x", "--platform", "ghost", "--name", "X"), "no platform"),
        (("users", "create-admin", "--email", "not-an-email", "--password", "long-enough-pw"), "valid e-mail"),
        (("users", "create-admin", "--email", "a@b.lu", "--password", "short"), "at least"),
        (("db", "downgrade", "nonexistent_rev"), "error"),
    ],
)
def test_errors_are_one_readable_line_and_a_non_zero_exit(ready, args, message):
    """Bad input gives one line on stderr, a non-zero exit, and no traceback."""
    result = ready.run(*args)
    assert result.returncode != 0
    _no_traceback(result)
    lines = [line for line in result.stderr.strip().splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert message in lines[0]


def test_commands_on_an_uninitialised_database_say_what_to_do(install):
    """Before init, commands explain that the database is not set up."""
    result = install.run("modules", "list")
    assert result.returncode != 0
    _no_traceback(result)
    assert "orion init" in result.stderr


def test_unsafe_secret_is_refused_outside_development(install):
    """A short ORION_SECRET_KEY stops the command with one line."""
    result = install.run("platforms", "list", ORION_SECRET_KEY="changeme")
    assert result.returncode != 0
    _no_traceback(result)
    assert "ORION_SECRET_KEY is unsafe" in result.stderr


def test_every_command_has_help(install):
    """Each command and sub-command answers --help with a description."""
    from orion_server.cli import cli

    def walk(group, prefix):
        for name, command in group.commands.items():
            yield [*prefix, name], command
            if hasattr(command, "commands"):
                yield from walk(command, [*prefix, name])

    for path, command in walk(cli, []):
        assert command.help, f"orion {' '.join(path)} has no help text"
    result = install.run("db", "--help")
    assert result.returncode == 0 and "upgrade" in result.stdout


def test_db_current_shows_each_branch_up_to_date(ready):
    """`orion db current --json` lists every branch at its head."""
    states = json.loads(ready.run("db", "current", "--json").stdout)
    assert states and all(s["current"] == s["head"] for s in states)


def test_db_upgrade_downgrade_base_and_upgrade_again_with_the_cli(install):
    """`orion db upgrade`, `orion db downgrade base`, `orion db upgrade` on an empty database."""
    for args in (("db", "upgrade"), ("db", "downgrade", "base"), ("db", "upgrade")):
        result = install.run(*args)
        assert result.returncode == 0, result.stderr
    states = json.loads(install.run("db", "current", "--json").stdout)
    assert all(s["current"] == s["head"] for s in states)


def test_users_list_deactivate_activate_and_reset_link(ready):
    """`orion users`: the admins, deactivating (never the last super admin), a reset link."""
    second = ready.run("users", "create-admin", "--email", "deputy@example.lu", "--password", "another-long-password")
    assert second.returncode == 0, second.stderr
    listed = json.loads(ready.run("users", "list", "--json").stdout)
    assert [(u["email"], u["role"], u["active"]) for u in listed] == [
        ("admin@example.lu", "super_admin", True), ("deputy@example.lu", "super_admin", True)]
    assert ready.run("users", "deactivate", "deputy@example.lu").returncode == 0
    last = ready.run("users", "deactivate", "admin@example.lu")
    assert last.returncode == 1 and "The last active super admin stays" in last.stderr
    _no_traceback(last)
    assert ready.run("users", "activate", "deputy@example.lu").returncode == 0
    link = ready.run("users", "reset-link", "deputy@example.lu")
    assert link.returncode == 0, link.stderr
    assert "/admin/reset?token=" in link.stdout
    unknown = ready.run("users", "deactivate", "nobody@example.lu")
    assert unknown.returncode == 1 and "no admin with the e-mail address nobody@example.lu" in unknown.stderr


def test_the_demo_gives_its_customers_a_password_of_this_installation(ready):
    """On a real installation the demo customers' password is drawn for it and shown once."""
    from modules.customers.demo import DEMO_PASSWORD
    from orion_server.demo import DEMO_OWNER_PASSWORD

    result = ready.run("demo")
    assert result.returncode == 0, result.stderr
    assert "shown once" in result.stdout and DEMO_PASSWORD not in result.stdout
    assert "demo owner" not in result.stdout and DEMO_OWNER_PASSWORD not in result.stdout


def test_platform_admins_are_created_and_assigned_from_the_command_line(ready):
    assert ready.run("platforms", "create", "north", "--name", "North").returncode == 0
    created = ready.run("users", "create-admin", "--email", "ops@example.lu", "--password", "a-long-password",
                        "--platform", "north")
    assert created.returncode == 0, created.stderr
    assert "Created the platform admin ops@example.lu." in created.stdout
    unknown = ready.run("users", "create-admin", "--email", "ops2@example.lu", "--password", "a-long-password",
                        "--platform", "atlantis")
    assert unknown.returncode == 1 and "No such platform: atlantis." in unknown.stderr
    _no_traceback(unknown)
    listed = ready.run("users", "list", "--json")
    rows = {row["email"]: row["platforms"] for row in json.loads(listed.stdout)}
    assert rows == {"admin@example.lu": "all", "ops@example.lu": ["north"]}
    moved = ready.run("users", "assign", "ops@example.lu", "--platform", "main", "--platform", "north")
    assert moved.returncode == 0 and "now administers main, north" in moved.stdout
    super_admin = ready.run("users", "assign", "admin@example.lu", "--platform", "north")
    assert super_admin.returncode == 1 and "super admin" in super_admin.stderr


def test_the_development_demo_has_store_owners_to_sign_in_with(ready):
    """`make run`'s development data: each demo store has an owner with the published password."""
    from orion_server.demo import DEMO_OWNER_PASSWORD

    result = ready.run("demo", ORION_ENV="development")
    assert result.returncode == 0, result.stderr
    assert f"Created the demo owner owner@boulangerie-dupont.lu (password {DEMO_OWNER_PASSWORD}" in result.stdout
    again = ready.run("demo", ORION_ENV="development")
    assert "demo owner" not in again.stdout  # nothing twice


def test_validate_exits_non_zero_when_it_finds_errors(ready, tmp_path):
    """A CI running `orion validate` must fail on an error: the exit code says so (issue 10)."""
    from tests.server.test_validator import make_module

    clean = ready.run("validate")
    assert clean.returncode == 0 and "0 errors" in clean.stdout
    extra = tmp_path / "extra"
    folder = make_module(extra, "gifts", builtin=False)
    (folder / "exceptions.py").unlink()
    broken = ready.run("validate", ORION_MODULE_PATHS=str(extra))
    assert broken.returncode == 1, broken.stdout + broken.stderr
    assert "MOD-001" in broken.stdout and "1 errors" in broken.stdout
    _no_traceback(broken)
