"""What the customers pages share: reading forms, safe redirects and flash messages."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fastapi import HTTPException, Request
from starlette.datastructures import FormData

from orion_server.errors import NotFoundError
from orion_server.flash import flash_for as _flash_for

TRUE_VALUES = {"1", "on", "true", "yes"}


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
    """A text field of the form ('' when missing or a file)."""
    value = form.get(name)
    return value if isinstance(value, str) else ""


def flag(form: FormData, name: str) -> bool:
    """A checkbox of the form."""
    return text(form, name).strip().lower() in TRUE_VALUES


def values_of(
    form: FormData, names: tuple[str, ...], flags: tuple[str, ...] = ()
) -> dict[str, Any]:
    """The named text fields and checkboxes of a form."""
    values: dict[str, Any] = {name: text(form, name) for name in names}
    values.update({name: flag(form, name) for name in flags})
    return values


def flash_for(done: str, allowed: set[str], language: str) -> dict[str, str] | None:
    """The confirmation shown after a redirect (``?done=saved``), if any."""
    return _flash_for(done, prefix="customers.flash.", allowed=allowed, language=language)


def safe_next(target: str | None, root: str) -> str:
    """Where to go after signing in: a path inside this storefront, else the account page."""
    if target and target.startswith(root) and not target.startswith("//") and "\\" not in target:
        return target
    return root + "account/"
