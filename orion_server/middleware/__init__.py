"""ASGI middleware: body size limit and platform context."""
