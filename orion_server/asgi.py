"""The ASGI application for uvicorn workers: ``orion_server.asgi:app``."""

from orion_server.app import create_app
from orion_server.logs import setup_logging

setup_logging("server")
app = create_app()
