"""The ``orion`` command: a thin layer over the services; errors are one readable line."""

from __future__ import annotations

import sys

import click

from orion_server.cli.app import cli


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; expected errors print one line and exit non-zero, never a traceback."""
    from orion_server.cli.errors import friendly_errors

    with friendly_errors():
        # Without standalone mode click *returns* the code of a command's Exit instead of
        # raising it: dropped, `orion validate` finding errors would exit 0 and no CI could fail.
        code = cli.main(args=argv, prog_name="orion", standalone_mode=False)
    if isinstance(code, int) and code:
        sys.exit(code)


__all__ = ["cli", "main", "click", "sys"]
