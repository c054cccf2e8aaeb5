"""How the sitemap files answer, in a storefront and on a platform's site: XML kept an hour by
caches, with ``Last-Modified`` from the stored file, and 304 to a crawler asking
``If-Modified-Since`` about a file unchanged since."""

from __future__ import annotations

import time
from email.utils import formatdate, parsedate_to_datetime

from fastapi import HTTPException, Request
from fastapi.responses import Response

SITEMAP_CACHE = "public, max-age=3600"
"""Search engines come back for them; an hour old is fresh enough (a task remakes them)."""
SETTLED = 1.0
"""Seconds a file must be old before it gets a ``Last-Modified`` (whole seconds): two files
made within the same second would otherwise carry the same date."""


def _asked_since(request: Request) -> float | None:
    value = request.headers.get("if-modified-since")
    if not value or request.headers.get("if-none-match"):
        return None
    try:
        return parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def sitemap_response(request: Request, body: bytes | None, modified: float | None) -> Response:
    """The file's answer: 404 without one, 304 when unchanged since the crawler's date."""
    if body is None:
        raise HTTPException(status_code=404)
    headers = {"Cache-Control": SITEMAP_CACHE}
    if modified is not None and time.time() - modified >= SETTLED:
        headers["Last-Modified"] = formatdate(int(modified), usegmt=True)
        since = _asked_since(request)
        if since is not None and int(modified) <= since:
            return Response(status_code=304, headers=headers)
    return Response(body, media_type="application/xml", headers=headers)
