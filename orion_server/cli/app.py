"""Commands of the ``orion`` CLI. Each one calls a service; none holds a business rule."""

from __future__ import annotations

import json
import secrets
import sys
from pathlib import Path

import click

from orion_server import __version__


def _settings():
    from orion_server.config import get_settings

    return get_settings()


def _session():
    from orion_server.database import db

    return db.session()


def _platform_id(session, code: str | None) -> tuple[int, str]:
    from orion_server.tenancy import tenancy_service

    code = code or _settings().main_platform_code
    return tenancy_service.get_platform(session, code).id, code


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="orion")
def cli() -> None:
    """Orion: a modular commerce platform you run on your own machine."""


# -- init ------------------------------------------------------------------------------------


@cli.command()
@click.option("--admin-email", envvar="ORION_ADMIN_EMAIL", help="E-mail address of the first admin.")
@click.option(
    "--admin-password",
    envvar="ORION_ADMIN_PASSWORD",
    help="Password of the first admin (better: ORION_ADMIN_PASSWORD or --admin-password-stdin, which no "
    "process listing shows; generated and printed if none is given).",
)
@click.option("--admin-password-stdin", is_flag=True, help="Read the first admin's password from standard input.")
@click.option("--platform-name", default="Orion", show_default=True, help="Name of the main platform.")
def init(admin_email: str | None, admin_password: str | None, admin_password_stdin: bool, platform_name: str) -> None:
    """Set up the data directory, database, main platform and first admin (what the console's
    first-run wizard does)."""
    from orion_server.setup import initialise

    if admin_password_stdin:
        admin_password = sys.stdin.readline().rstrip("\r\n")
        if not admin_password:
            raise click.ClickException("--admin-password-stdin was given but standard input held no password")
    generated: list[str] = []

    def credentials() -> tuple[str, str]:
        interactive = sys.stdin.isatty() and not admin_password_stdin
        email = admin_email or (click.prompt("Admin e-mail") if interactive else "admin@orion.local")
        password = admin_password
        if not password:
            if interactive:
                password = click.prompt("Admin password", hide_input=True, confirmation_prompt=True)
            else:
                password = secrets.token_urlsafe(12)
                generated.append(password)
        return email, password

    def show(_percent: int, step) -> None:
        if step.text.startswith("Applying migration"):
            click.echo(step.english() + "…")

    _settings()
    result = initialise(platform_name=platform_name, admin_credentials=credentials, progress=show)
    if result.platform_created:
        click.echo(f"Created the main platform {_settings().main_platform_code!r}.")
    if result.admin_created:
        click.echo(f"Created the admin {result.admin_email}.")
        if generated:
            click.echo(f"Its password (shown once, write it down): {generated[0]}")
    if result.migrations or result.platform_created or result.admin_created:
        click.echo(f"Orion is initialised in {result.data_dir}.")
    else:
        click.echo(f"Orion is already initialised in {result.data_dir}; nothing changed.")


# -- serve / worker ----------------------------------------------------------------------------


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0 for the LAN).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 32), help="Web server processes.")
@click.option("--no-worker", is_flag=True, help="Do not run a task consumer beside the server.")
def serve(host: str, port: int, workers: int, no_worker: bool) -> None:
    """Run the web server (and a background task consumer)."""
    from orion_server.server import run_server

    run_server(host=host, port=port, workers=workers, with_worker=not no_worker)


@cli.command()
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 32), help="Task threads.")
def worker(workers: int) -> None:
    """Run the background task consumer alone."""
    from orion_server.server import run_worker

    run_worker(workers=workers)


# -- db --------------------------------------------------------------------------------------


@cli.group()
def db() -> None:
    """Database migrations."""


@db.command("upgrade")
@click.argument("target", default="heads")
def db_upgrade(target: str) -> None:
    """Apply migrations (every branch's head by default), after a backup of the database."""
    from orion_server.backups import backup_before_upgrade
    from orion_server.database import db as database
    from orion_server.migrations import upgrade
    from orion_server.running_lock import exclusive

    settings = _settings()
    with exclusive(settings, "migrating the database"):
        made = backup_before_upgrade(settings, database.engine)
        if made is not None:
            click.echo(f"Backed up to {made.path} first.")
        upgrade(database.engine, target)
    click.echo("The database is up to date." if target == "heads" else f"Upgraded to {target}.")


@db.command("downgrade")
@click.argument("target")
def db_downgrade(target: str) -> None:
    """Revert migrations down to TARGET (``base`` reverts everything)."""
    from orion_server.database import db as database
    from orion_server.migrations import downgrade

    downgrade(database.engine, target)
    click.echo(f"Downgraded to {target}.")


@db.command("current")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def db_current(as_json: bool) -> None:
    """Show each migration branch's current revision and head."""
    from orion_server.database import db as database
    from orion_server.migrations import branch_states

    states = branch_states(database.engine)
    if as_json:
        click.echo(json.dumps(states))
        return
    for state in states:
        mark = "up to date" if state["current"] == state["head"] else "PENDING"
        click.echo(f"{state['branch']:<14} current {state['current'] or '-':<16} head {state['head']:<16} {mark}")


@db.command("heads")
def db_heads() -> None:
    """List the head revision of every branch."""
    from orion_server.migrations import head_revisions

    for head in sorted(head_revisions()):
        click.echo(head)


# -- modules ---------------------------------------------------------------------------------


@cli.group()
def modules() -> None:
    """Module enablement per platform."""


platform_option = click.option("--platform", "platform_code", help="Platform code (default: the main platform).")
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON.")


@modules.command("list")
@platform_option
@json_option
def modules_list(platform_code: str | None, as_json: bool) -> None:
    """List modules with their tier, requirements and state."""
    from orion_server.modules.service import module_service

    with _session() as session:
        platform_id, code = _platform_id(session, platform_code)
        states = module_service.get_platform_modules(session, platform_id)
    if as_json:
        click.echo(
            json.dumps(
                [
                    {"code": s.code, "name": s.name, "tier": s.tier, "requires": s.requires, "enabled": s.enabled}
                    for s in states
                ]
            )
        )
        return
    click.echo(f"Modules on platform {code}:")
    for s in states:
        state = "on " if s.enabled else "off"
        requires = f"  (requires {', '.join(s.requires)})" if s.requires else ""
        click.echo(f"  [{state}] {s.code:<12} {s.tier:<9}{requires}")


def _toggle(action: str, code: str, platform_code: str | None, dry_run: bool, as_json: bool) -> None:
    from orion_server.modules.service import module_service

    with _session() as session:
        platform_id, pcode = _platform_id(session, platform_code)
        method = module_service.enable_module if action == "enable" else module_service.disable_module
        change = method(session, platform_id, code, dry_run=dry_run)
    if as_json:
        click.echo(json.dumps({"changed": change.changed, "dry_run": dry_run}))
        return
    verb = "enable" if action == "enable" else "disable"
    if not change.changed:
        click.echo(f"{code} is already {verb}d on {pcode}; nothing to do.")
        return
    lead = f"Would {verb}" if dry_run else f"{verb.capitalize()}d"
    click.echo(f"{lead} on {pcode}: {', '.join(change.changed)}")


@modules.command("enable")
@click.argument("code")
@platform_option
@click.option("--dry-run", is_flag=True, help="Show the cascade without changing anything.")
@json_option
def modules_enable(code: str, platform_code: str | None, dry_run: bool, as_json: bool) -> None:
    """Enable a module and what it requires."""
    _toggle("enable", code, platform_code, dry_run, as_json)


@modules.command("disable")
@click.argument("code")
@platform_option
@click.option("--dry-run", is_flag=True, help="Show the cascade without changing anything.")
@json_option
def modules_disable(code: str, platform_code: str | None, dry_run: bool, as_json: bool) -> None:
    """Disable a module and what depends on it (their data is kept)."""
    _toggle("disable", code, platform_code, dry_run, as_json)


# -- platforms and stores --------------------------------------------------------------------


@cli.group()
def platforms() -> None:
    """Platforms served by this installation."""


@platforms.command("list")
@json_option
def platforms_list(as_json: bool) -> None:
    """List platforms."""
    from orion_server.tenancy import tenancy_service

    with _session() as session:
        items = tenancy_service.list_platforms(session, per_page=1000).items
        rows = [{"code": p.code, "name": p.name, "domain": p.domain, "default_language": p.default_language} for p in items]
    if as_json:
        click.echo(json.dumps(rows))
        return
    if not rows:
        click.echo("No platforms yet: run `orion init`.")
    for row in rows:
        click.echo(f"{row['code']:<16} {row['name']:<30} {row['domain'] or '-'}")


@platforms.command("create")
@click.argument("code")
@click.option("--name", required=True, help="Display name.")
@click.option("--domain", help="Domain served in host mode, e.g. shop.example.lu.")
@click.option("--language", "default_language", default="fr", show_default=True, help="Default language.")
def platforms_create(code: str, name: str, domain: str | None, default_language: str) -> None:
    """Create a platform."""
    from orion_server.tenancy import tenancy_service

    with _session() as session:
        platform = tenancy_service.create_platform(
            session, code=code, name=name, domain=domain, default_language=default_language
        )
        click.echo(f"Created platform {platform.code}.")


@cli.group()
def stores() -> None:
    """Stores of the platforms."""


@stores.command("list")
@platform_option
@json_option
def stores_list(platform_code: str | None, as_json: bool) -> None:
    """List stores (of one platform with --platform)."""
    from orion_server.tenancy import tenancy_service

    with _session() as session:
        items = tenancy_service.list_stores(session, platform_code=platform_code, per_page=1000).items
        rows = [
            {"code": s.code, "name": s.name, "platform": s.platform.code, "subdomain": s.subdomain} for s in items
        ]
    if as_json:
        click.echo(json.dumps(rows))
        return
    if not rows:
        click.echo("No stores yet: create one with `orion stores create`.")
    for row in rows:
        click.echo(f"{row['code']:<20} {row['name']:<30} {row['platform']:<12} {row['subdomain']}")


@stores.command("create")
@click.argument("code")
@click.option("--platform", "platform_code", required=True, help="Platform code.")
@click.option("--name", required=True, help="Display name.")
@click.option("--subdomain", help="Subdomain in host mode (default: the code).")
@click.option("--language", "default_language", default="fr", show_default=True, help="Default language.")
def stores_create(code: str, platform_code: str, name: str, subdomain: str | None, default_language: str) -> None:
    """Create a store on a platform."""
    from orion_server.tenancy import tenancy_service

    with _session() as session:
        store = tenancy_service.create_store(
            session, platform_code=platform_code, code=code, name=name, subdomain=subdomain, default_language=default_language
        )
        click.echo(f"Created store {store.code} on {platform_code}.")


# -- users -----------------------------------------------------------------------------------


@cli.group()
def users() -> None:
    """Admin and staff accounts."""


@users.command("create-admin")
@click.option("--email", required=True, help="E-mail address.")
@click.option("--password", help="Password (generated and printed if omitted).")
@click.option("--name", "full_name", default="", help="Full name.")
@click.option("--platform", "platform_codes", multiple=True,
              help="Make a platform admin of this platform (repeat for several); without it, a super admin.")
def users_create_admin(email: str, password: str | None, full_name: str, platform_codes: tuple[str, ...]) -> None:
    """Create a super admin, or with --platform a platform admin of those platforms."""
    from orion_server.accounts import AccountInputError, create_user
    from orion_server.models import UserRole

    generated = password is None
    password = password or secrets.token_urlsafe(12)
    role = UserRole.PLATFORM_ADMIN if platform_codes else UserRole.SUPER_ADMIN
    with _session() as session:
        try:
            user = create_user(session, email=email, password=password, role=role, full_name=full_name,
                               platform_codes=list(platform_codes))
        except AccountInputError as exc:
            raise _account_problem(exc) from exc
        click.echo(f"Created the {'platform admin' if platform_codes else 'super admin'} {user.email}.")
    if generated:
        click.echo(f"Password (shown once): {password}")


@users.command("list")
@json_option
def users_list(as_json: bool) -> None:
    """The installation's admins."""
    from orion_server.accounts import assigned_platforms, list_admins

    rows = []
    with _session() as session:
        page, pages = 1, 1
        while page <= pages:
            found = list_admins(session, page=page)
            reach = assigned_platforms(session, [u.id for u in found.items])
            rows += [{"email": u.email, "name": u.full_name, "role": u.role, "active": u.is_active,
                      "platforms": [p.code for p in reach.get(u.id, [])] if u.role == "platform_admin" else "all",
                      "last_login": u.last_login_at.isoformat() if u.last_login_at else None} for u in found.items]
            page, pages = page + 1, found.pages
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    for row in rows:
        state = "active" if row["active"] else "deactivated"
        platforms = row["platforms"] if isinstance(row["platforms"], str) else ",".join(row["platforms"]) or "-"
        click.echo(f"{row['email']:<40} {row['role']:<16} {state:<12} {platforms:<20} {row['name']}")


def _admin_id(session, email: str) -> int:
    from sqlalchemy import select

    from orion_server.accounts import ADMIN_ROLES
    from orion_server.models import User

    found = session.scalar(select(User.id).where(User.email == email.strip().lower(), User.role.in_(ADMIN_ROLES)))
    if found is None:
        raise click.ClickException(f"no admin with the e-mail address {email.strip().lower()}")
    return found


def _account_problem(exc) -> click.ClickException:
    return click.ClickException("; ".join(problem.message("en") for problem in exc.problems))


@users.command("assign")
@click.argument("email")
@click.option("--platform", "platform_codes", multiple=True, required=True,
              help="A platform the admin administers (repeat for several); replaces the current ones.")
def users_assign(email: str, platform_codes: tuple[str, ...]) -> None:
    """Set the platforms a platform admin sees and changes."""
    from orion_server.accounts import AccountInputError, set_admin_platforms
    from orion_server.errors import NotFoundError

    with _session() as session:
        try:
            user = set_admin_platforms(session, actor=None, user_id=_admin_id(session, email),
                                       platform_codes=list(platform_codes))
        except AccountInputError as exc:
            raise _account_problem(exc) from exc
        except NotFoundError as exc:
            raise click.ClickException(f"{email.strip().lower()} is a super admin: they reach every platform") from exc
        click.echo(f"{user.email} now administers {', '.join(sorted(set(platform_codes)))}.")


@users.command("deactivate")
@click.argument("email")
def users_deactivate(email: str) -> None:
    """Deactivate an admin: they can no longer sign in, and their sessions end now."""
    from orion_server.accounts import AccountInputError, set_admin_active

    with _session() as session:
        try:
            user = set_admin_active(session, actor=None, user_id=_admin_id(session, email), active=False)
        except AccountInputError as exc:
            raise _account_problem(exc) from exc
        click.echo(f"Deactivated {user.email}.")


@users.command("activate")
@click.argument("email")
def users_activate(email: str) -> None:
    """Let a deactivated admin sign in again."""
    from orion_server.accounts import set_admin_active

    with _session() as session:
        user = set_admin_active(session, actor=None, user_id=_admin_id(session, email), active=True)
        click.echo(f"Reactivated {user.email}.")


@users.command("reset-link")
@click.argument("email")
def users_reset_link(email: str) -> None:
    """E-mail an admin a one-hour password reset link, and print it to hand over."""
    from orion_server.accounts import AccountInputError, send_admin_reset_link

    with _session() as session:
        platform_id, _code = _platform_id(session, None)
        try:
            link = send_admin_reset_link(session, actor=None, user_id=_admin_id(session, email),
                                         platform_id=platform_id)
        except AccountInputError as exc:
            raise _account_problem(exc) from exc
    click.echo(link)


# -- validate / demo -------------------------------------------------------------------------


@cli.command()
def validate() -> None:
    """Check every module against the architecture rules (MOD-001 … and import rules)."""
    from orion_server.paths import PROJECT_ROOT
    from orion_server.validator import Severity, format_finding, validate_tree

    findings = validate_tree(PROJECT_ROOT, list(_settings().module_paths))
    for finding in findings:
        click.echo(format_finding(finding))
    errors = sum(1 for f in findings if f.severity == Severity.ERROR)
    warnings = sum(1 for f in findings if f.severity == Severity.WARNING)
    infos = len(findings) - errors - warnings
    click.echo(f"{errors} errors, {warnings} warnings, {infos} infos")
    if errors:
        raise click.exceptions.Exit(1)


@cli.command()
def demo() -> None:
    """Create a demo platform with two stores, its optional modules on, and demo content."""
    from orion_server.demo import load_demo

    with _session() as session:
        for line in load_demo(session):
            click.echo(line)


@cli.command("support-bundle")
@click.option("--since", "window", default="24h", show_default=True, help="Time window of logs: 30m, 24h, 7d.")
@click.option("--out", type=click.Path(path_type=Path), help="File or folder to write (default: this folder).")
@click.option("--list", "list_only", is_flag=True, help="Show what the bundle would contain and write nothing.")
def support_bundle(window: str, out: Path | None, list_only: bool) -> None:
    """Pack logs, versions, module states and redacted settings into one zip for support."""
    from orion_server.support_bundle import (
        BundleError,
        bundle_contents,
        parse_duration,
        write_bundle,
    )

    try:
        duration = parse_duration(window)
        if list_only:
            for entry in bundle_contents(duration):
                click.echo(f"{entry.name:<16} {len(entry.content):>9} bytes  {entry.description}")
            return
        path = write_bundle(duration, out)
    except BundleError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Wrote {path}")


from orion_server.cli.admin_link import admin_link as _admin_link  # noqa: E402

cli.add_command(_admin_link)

from orion_server.cli.backup import BACKUP_COMMANDS as _BACKUP_COMMANDS  # noqa: E402

for _command in _BACKUP_COMMANDS:
    db.add_command(_command)
