"""One page of a listing, the same for every module (services return it, templates read it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")


MAX_PAGE = 100_000


def page_number(value: object) -> int:
    """A page number from the query string; anything unusable is page 1, and no page is past
    ``MAX_PAGE`` (a huge OFFSET would only make the database work for nothing)."""
    try:
        number = int(str(value)) if value is not None else 1
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), MAX_PAGE)


def page_count(total: int, per_page: int) -> int:
    """How many pages ``total`` items fill, ``per_page`` at a time (at least one, even empty)."""
    return max(1, -(-total // per_page))


def clamp_page(page: int, total: int, per_page: int) -> int:
    """``page`` moved into ``1..pages`` (a page past the end shows the last one)."""
    return min(max(page, 1), page_count(total, per_page))


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a listing: its ``items``, the ``total`` over all pages, which ``page``
    (from 1) and how many items a page holds."""

    items: list[T] = field(default_factory=list)
    total: int = 0
    page: int = 1
    per_page: int = 20
    more: bool = field(default=False, kw_only=True)
    """True when there are more than ``total`` items (a search counts only so far). Keyword
    only: listings that extend a page add fields of their own after ``per_page``."""

    @property
    def pages(self) -> int:
        return page_count(self.total, self.per_page)

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def offset(self) -> int:
        """How many items come before this page (for ``OFFSET`` in a query)."""
        return (self.page - 1) * self.per_page
