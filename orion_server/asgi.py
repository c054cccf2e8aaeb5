"""The ASGI application for uvicorn workers: ``orion_server.asgi:app``."""

from orion_server.app import create_app

app = create_app()
