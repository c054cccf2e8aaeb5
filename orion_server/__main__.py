"""``python -m orion_server`` runs the ``orion`` command."""

from orion_server.cli import main

main()
