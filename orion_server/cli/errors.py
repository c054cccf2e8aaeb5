"""Turn the errors a user can cause into one line on stderr and an exit code."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import click
from alembic.util.exc import CommandError
from sqlalchemy.exc import OperationalError, ProgrammingError


@contextmanager
def friendly_errors() -> Iterator[None]:
    from orion_server.config import ConfigurationError
    from orion_server.errors import OrionError
    from orion_server.modules.discovery import ModuleDiscoveryError
    from orion_server.modules.registry import ModuleGraphError

    try:
        yield
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(1)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except OrionError as exc:
        where = f" ({exc.field})" if exc.field else ""
        click.echo(f"error{where}: {exc.message}", err=True)
        sys.exit(1)
    except (ConfigurationError, ModuleGraphError, ModuleDiscoveryError) as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    except (OperationalError, ProgrammingError) as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc).splitlines()[0]
        hint = " (has `orion init` or `orion db upgrade` been run?)" if "no such table" in reason or "does not exist" in reason else ""
        click.echo(f"error: database: {reason}{hint}", err=True)
        sys.exit(1)
    except CommandError as exc:
        click.echo(f"error: migrations: {str(exc).splitlines()[0]}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:  # the last resort: still one line, the details only on request
        if os.environ.get("ORION_DEBUG"):
            raise
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        click.echo(
            f"error: unexpected {exc.__class__.__name__}{': ' + detail if detail else ''} "
            "(set ORION_DEBUG=1 to see the details)",
            err=True,
        )
        sys.exit(1)
