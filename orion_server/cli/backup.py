"""``orion db backup``, ``orion db backups`` and ``orion db restore``: thin calls into orion_server.backups.

The commands join the ``db`` group in ``orion_server.cli.app`` (``BACKUP_COMMANDS``).
"""

from __future__ import annotations

import json
import sys

import click


def _settings():
    from orion_server.config import get_settings

    return get_settings()


def _size(size: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024  # type: ignore[assignment]
    return str(size)


@click.command("backup")
@click.option("--reason", default="manual", show_default=True,
              help="Word recorded in the file name (lower-case letters, digits, dashes).")
def db_backup(reason: str) -> None:
    """Back up the database into the backups folder of the data directory."""
    from orion_server.backups import create_backup

    info = create_backup(_settings(), reason=reason)
    click.echo(f"Backed up the database to {info.path} ({_size(info.size)}).")


@click.command("backups")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def db_backups(as_json: bool) -> None:
    """List the backups, newest first."""
    from orion_server.backups import backup_dir, list_backups

    settings = _settings()
    backups = list_backups(settings)
    if as_json:
        click.echo(json.dumps([
            {"name": b.name, "path": str(b.path), "created_at": b.created_at.isoformat(), "reason": b.reason,
             "version": b.version, "size": b.size, "kind": b.kind}
            for b in backups
        ]))
        return
    if not backups:
        click.echo(f"No backups yet in {backup_dir(settings)}: make one with `orion db backup`.")
        return
    for b in backups:
        click.echo(f"{b.name:<52} {b.created_at:%Y-%m-%d %H:%M} UTC  {b.reason:<12} {_size(b.size):>10}")


@click.command("restore")
@click.argument("backup")
@click.option("--yes", is_flag=True, help="Confirm that the database's current content is replaced.")
def db_restore(backup: str, yes: bool) -> None:
    """Replace the database's content with BACKUP (a file, or a name from `orion db backups`);
    the current content is backed up first. Every server and task consumer must be stopped."""
    from orion_server.backups import BackupError, find_backup, restore_backup
    from orion_server.logs import redact
    from orion_server.running_lock import running

    settings = _settings()
    info = find_backup(settings, backup)
    if running(settings):
        raise BackupError("an Orion server or task consumer is using this installation: stop it before restoring")
    if not yes:
        question = f"Replace everything in {redact(settings.resolved_database_url)} with {info.name}?"
        if not sys.stdin.isatty():
            raise BackupError("restoring replaces the database's current content: run again with --yes to confirm")
        if not click.confirm(question):
            raise click.exceptions.Abort()
    restore_backup(settings, info)
    click.echo(f"Restored {info.name} (the content it replaced was backed up first); "
               "start the server again with `orion serve`.")


BACKUP_COMMANDS = (db_backup, db_backups, db_restore)
