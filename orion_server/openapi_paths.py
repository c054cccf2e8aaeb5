"""The API's description (``/openapi.json``) with the paths a client calls.

Storefront routes are mounted under an internal prefix (``STOREFRONT_PREFIX``): the platform
middleware maps a store's storefront root (``/platforms/{platform}/storefront/{store}/``, or the
root of the store's own domain) onto it. The description names the path-based root, which
reaches every store from any host of the server, with its two parameters.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from orion_server.middleware.platform_context import STOREFRONT_PREFIX

STOREFRONT_ROOT = "/platforms/{platform_code}/storefront/{store_code}"
STOREFRONT_PARAMETERS = [
    {"name": "platform_code", "in": "path", "required": True, "schema": {"type": "string", "title": "Platform Code"},
     "description": "The code of the store's platform."},
    {"name": "store_code", "in": "path", "required": True, "schema": {"type": "string", "title": "Store Code"},
     "description": "The store's code."},
]
DESCRIPTION = (
    "Orion's API: `/api/v1/admin/...` for platform admins, `/api/v1/store/{store_code}/...` for a "
    "store's team, and each store's storefront API under its storefront root, "
    f"`{STOREFRONT_ROOT}/api/v1/...` (on a store's own domain, at the domain's root: `/api/v1/...`). "
    "Every error answer has one shape, `ErrorOut`."
)


def describe_public_paths(app: FastAPI) -> None:
    """Make ``app.openapi()`` describe storefront operations at the storefront root."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = build()  # FastAPI's, cached on the app; rewritten in place once
            schema["paths"] = {_public(path, item): item for path, item in schema.get("paths", {}).items()}
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def public_path(path: str) -> str:
    """The path the description gives a route mounted at ``path``."""
    if path.startswith(STOREFRONT_PREFIX + "/"):
        return STOREFRONT_ROOT + path.removeprefix(STOREFRONT_PREFIX)
    return path


def _public(path: str, item: dict[str, Any]) -> str:
    if path.startswith(STOREFRONT_PREFIX + "/"):
        for operation in item.values():
            operation["parameters"] = [*STOREFRONT_PARAMETERS, *operation.get("parameters", [])]
    return public_path(path)
