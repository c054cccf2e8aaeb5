"""Who a store's customers are, for modules that keep something per customer without owning
customers (loyalty's cards): their names and addresses as they are now (an erased customer reads
as erased), a search, and finding one by e-mail or customer number. The customers module
provides it (``provides={CustomerDirectory: ...}``); None where customers is off.

    from modules.contracts.customer_directory import customer_directory

    directory = customer_directory(db, platform_id=platform_id)
    people = directory.describe(db, customer_ids=[4, 9])   # {4: CustomerSummary, ...}
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from orion_server.providers import get_provider


@dataclass(frozen=True)
class CustomerSummary:
    """What another module may show of one customer."""

    id: int
    store_id: int
    number: str
    email: str
    name: str
    """First and last name; empty when the customer gave none (or was erased)."""
    language: str
    """Their preferred language."""
    is_guest: bool
    """Ordered without an account."""


@runtime_checkable
class CustomerDirectory(Protocol):
    """The customers of stores, by id, by search and by e-mail or number."""

    def describe(self, db: Any, *, customer_ids: Collection[int]) -> Mapping[int, CustomerSummary]:
        """Each customer of ``customer_ids`` that exists (unknown ids are left out)."""
        ...

    def search(self, db: Any, *, store_ids: Collection[int], text: str, limit: int) -> list[CustomerSummary]:
        """Customers of ``store_ids`` whose name, e-mail or number contains ``text``, newest first."""
        ...

    def find(self, db: Any, *, store_id: int, text: str) -> CustomerSummary | None:
        """The store's customer with this exact e-mail address or customer number, or None."""
        ...


def customer_directory(db: Any, *, platform_id: int) -> CustomerDirectory | None:
    """The directory where a module providing it is on for the platform, else None."""
    return get_provider(db, CustomerDirectory, platform_id=platform_id)
