"""Field errors of forms and API calls: a ``Problem`` names one input and a translation key; an
``InputError`` (422) carries the problems, so a page can show each field's message in the
user's language and the API lists them in ``fields``."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from orion_server.errors import OrionError, ValidationError
from orion_server.i18n import t


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input: the field and a translation key explaining it."""

    field: str
    key: str
    params: dict[str, Any] = field(default_factory=dict)

    def message(self, language: str = "en") -> str:
        """The explanation in ``language``."""
        return t(self.key, language, **self.params)


class WithProblems:
    """Mixin for an OrionError that carries ``problems`` (an InputError, or a ConflictError
    naming a field): per-field messages in any language, and ``fields`` in the API body."""

    problems: list[Problem]

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
            {"field": name, "message": text} for name, text in self.field_messages().items()
        ]
        return body


class InputError(WithProblems, ValidationError):
    """Input that broke one or more rules (422, every field named). Modules subclass it under
    their own name (``CatalogInputError``...) so callers can tell whose rule it was."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        first = self.problems[0]
        super().__init__(first.message(), field=first.field)


def field_messages(error: OrionError, language: str) -> dict[str, str]:
    """Per-field messages of any domain error, translated when the error knows how."""
    if isinstance(error, WithProblems):
        return error.field_messages(language)
    return {error.field or "form": error.message}
