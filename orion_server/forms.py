"""Field errors of forms and API calls: a ``Problem`` names one input and a translation key; an
``InputError`` (422) carries the problems, so a page can show each field's message in the
user's language and the API lists them in ``fields``."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import Depends
from starlette.datastructures import FormData
from starlette.requests import Request

from orion_server.errors import OrionError, ValidationError
from orion_server.i18n import t
from orion_server.money import format_money


@dataclass(frozen=True)
class Amount:
    """A money parameter of a Problem (``Problem("price", key, {"max": Amount(500)})``),
    written with the conventions of the language the message is shown in."""

    cents: int
    currency: str = "EUR"

    def in_language(self, language: str) -> str:
        return format_money(self.cents, language, self.currency)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input: the field and a translation key explaining it."""

    field: str
    key: str
    params: dict[str, Any] = field(default_factory=dict)

    def message(self, language: str = "en") -> str:
        """The explanation in ``language`` (parameters such as an ``Amount`` written in it too)."""
        params = {
            name: value.in_language(language) if hasattr(value, "in_language") else value
            for name, value in self.params.items()
        }
        return t(self.key, language, **params)


class WithProblems:
    """Mixin for an OrionError that carries ``problems`` (an InputError, or a ConflictError
    naming a field): per-field messages in any language, and ``fields`` in the API body."""

    problems: list[Problem]
    language: str = "en"
    """The language of the API's answer (``to_dict``); ``problems_in_request_language`` sets
    it to the caller's where an API speaks the user's language."""

    def field_messages(self, language: str = "en") -> dict[str, str]:
        """``{field: message}`` in ``language``, the first problem of each field."""
        messages: dict[str, str] = {}
        for problem in self.problems:
            messages.setdefault(problem.field, problem.message(language))
        return messages

    def to_dict(self) -> dict[str, Any]:
        """The framework's error body plus ``fields`` shaped like FastAPI's validation errors."""
        body = super().to_dict()  # type: ignore[misc]
        body.pop("details", None)
        body["fields"] = [
            {"field": name, "message": text}
            for name, text in self.field_messages(self.language).items()
        ]
        return body


class InputError(WithProblems, ValidationError):
    """Input that broke one or more rules (422, every field named). Modules subclass it under
    their own name (``CatalogInputError``...) so callers can tell whose rule it was."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        first = self.problems[0]
        super().__init__(first.message(), field=first.field)

    def to_dict(self) -> dict[str, Any]:
        body = super().to_dict()
        body["message"] = self.problems[0].message(self.language)
        return body


def field_messages(error: OrionError, language: str) -> dict[str, str]:
    """Per-field messages of any domain error, translated when the error knows how."""
    if isinstance(error, WithProblems):
        return error.field_messages(language)
    return {error.field or "form": error.message}


def problems_in_request_language(request: Request) -> Iterator[None]:
    """Router dependency of an API that answers in the user's language (a storefront's): the
    field messages of an input error raised by its routes are in ``request.state.language``.
    Services raise translation keys; this is where such an API translates them."""
    try:
        yield
    except OrionError as exc:
        if isinstance(exc, WithProblems):
            exc.language = getattr(request.state, "language", "en")
        raise


# -- reading posted forms in page routes ----------------------------------------------------------


async def read_form(request: Request) -> FormData:
    """The posted form (a dependency, so handlers can stay synchronous)."""
    return await request.form()


PostedForm = Annotated[FormData, Depends(read_form)]
"""A page route's parameter for the posted form: ``form: PostedForm``."""


def form_text(form: FormData, name: str, *, strip: bool = False) -> str:
    """A text field of the form ('' when it is missing or a file), trimmed when ``strip``."""
    value = form.get(name)
    if not isinstance(value, str):
        return ""
    return value.strip() if strip else value


def form_texts(form: FormData, name: str) -> list[str]:
    """Every text value of a repeated field (ticked boxes, a multiple select); files are left out."""
    return [value for value in form.getlist(name) if isinstance(value, str)]
