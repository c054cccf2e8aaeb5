"""What the messaging pages share: reading forms, 404 pages, flash messages."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi import HTTPException, Request
from starlette.datastructures import FormData

from orion_server.errors import NotFoundError
from orion_server.flash import flash_for as _flash_for

FLASHES = {
    "saved", "reset", "read", "all_read", "test_sent", "retried", "replied", "closed", "reopened", "sent",
}


def not_found_as_404() -> Iterator[None]:
    """Router dependency: a missing record shows the translated 404 page."""
    try:
        yield
    except NotFoundError:
        raise HTTPException(status_code=404) from None


async def read_form(request: Request) -> FormData:
    """The posted form (a dependency, so handlers can stay synchronous)."""
    return await request.form()


def text(form: FormData, name: str) -> str:
    """A text field of the form ('' when absent)."""
    value = form.get(name)
    return value if isinstance(value, str) else ""


def flash_for(done: str, language: str) -> dict[str, str] | None:
    """The confirmation shown after a redirect (``?done=saved``), if any."""
    return _flash_for(done, prefix="messaging.flash.", allowed=FLASHES, language=language)
