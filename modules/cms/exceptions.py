"""Errors of the Content module."""

from __future__ import annotations

from orion_server.errors import ConflictError, OrionError
from orion_server.forms import InputError, Problem, WithProblems, field_messages

__all__ = ["CmsError", "PageInputError", "Problem", "SlugTakenError", "field_messages"]


class CmsError(OrionError):
    """Base of the Content module's errors."""


class PageInputError(InputError):
    """A page form or API call broke one or more rules (422, every field named)."""


class SlugTakenError(WithProblems, ConflictError):
    """Another page of the same owner already uses the slug (409)."""

    def __init__(self, slug: str) -> None:
        self.problems = [Problem("slug", "cms.errors.slug_taken", {"slug": slug})]
        super().__init__(self.problems[0].message(), field="slug")

