"""Errors of the Catalog module."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from orion_server.errors import OrionError, ValidationError
from orion_server.i18n import t


class CatalogError(OrionError):
    """Base of the Catalog module's errors."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input: the field and a translation key explaining it."""

    field: str
    key: str
    params: dict[str, Any] = field(default_factory=dict)

    def message(self, language: str = "en") -> str:
        """The explanation in ``language``."""
        return t(self.key, language, **self.params)


class CatalogInputError(ValidationError):
    """A product, category or image broke one or more rules (422, every field named)."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        first = self.problems[0]
        super().__init__(first.message(), field=first.field)

    def field_messages(self, language: str = "en") -> dict[str, str]:
        """``{field: message}`` in ``language``, the first problem of each field."""
        messages: dict[str, str] = {}
        for problem in self.problems:
            messages.setdefault(problem.field, problem.message(language))
        return messages

    def to_dict(self) -> dict[str, Any]:
        """The framework's error body plus ``fields`` shaped like FastAPI's validation errors."""
        body = super().to_dict()
        body.pop("details", None)
        body["fields"] = [
            {"field": name, "message": text} for name, text in self.field_messages().items()
        ]
        return body


def field_messages(error: OrionError, language: str) -> dict[str, str]:
    """Per-field messages of any domain error, translated when the error knows how."""
    if isinstance(error, CatalogInputError):
        return error.field_messages(language)
    return {error.field or "form": error.message}
