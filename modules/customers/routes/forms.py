"""What the customers pages share: reading forms, safe redirects and flash messages."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import FormData

from orion_server.flash import flash_for as _flash_for
from orion_server.forms import form_text

TRUE_VALUES = {"1", "on", "true", "yes"}


def flag(form: FormData, name: str) -> bool:
    """A checkbox of the form."""
    return form_text(form, name).strip().lower() in TRUE_VALUES


def values_of(
    form: FormData, names: tuple[str, ...], flags: tuple[str, ...] = ()
) -> dict[str, Any]:
    """The named text fields and checkboxes of a form."""
    values: dict[str, Any] = {name: form_text(form, name) for name in names}
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
