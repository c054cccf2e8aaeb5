"""Whole storefront pages, made once for everyone and served again for a moment, filled per visitor.

A page its route marks public (``orion_server.deps.PublicPage``: the home page, listings,
categories, searches, product pages, content pages) is rendered with two holes when an
anonymous shopper asks for it: the visitor's part of the header (``storefront/_visitor.html``:
the cart count, the account link) and the CSRF token of its forms. The middleware
(``orion_server.middleware.page_cache``) keeps that copy per store, address, query, host and
language and serves it to the next shoppers, each with their own header and token put into
the holes: the ``visitor_providers`` of the enabled modules, a query at most. A shopper a
provider calls personal (signed in) always gets a page made for them alone.

Fresh enough, on purpose: a copy is served only while younger than ``page_cache_seconds``
(0.8 s by default), counted from before its data was read, so a price, a stock level or a text
changed anywhere (another worker, the console, the CLI) shows within a second. A copy older than
half that is made again by the next shopper while the others are still served the copy, so a
busy page is rendered a few times a second, not once per request; when that takes so long that
the copy grows too old, the others wait for the new one rather than all making it at once. A
commit that wrote anything in this process forgets every copy of the process at once: whoever
changed something sees it.
"""

from __future__ import annotations

import itertools
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

CSRF_HOLE = "orion-csrf-hole-5c0f7e1a9d"
"""Stands for the visitor's CSRF token in a copy (letters, digits and dashes: escaping keeps it)."""
VISITOR_HOLE = "<!--orion:visitor-header-->"
"""Stands for ``storefront/_visitor.html`` rendered for the visitor."""
VISITOR_TEMPLATE = "storefront/_visitor.html"

MAX_BYTES = 16 * 1024 * 1024
"""Most bytes of pages a process keeps (searches make a new address each); oldest go first."""
MAX_COPIES = 4096

_generations = itertools.count(1)
_generation = 0
_WROTE = "orion_page_cache_wrote"


def generation() -> int:
    """Moves forward whenever this process commits a write; copies of an older one are void."""
    return _generation


def forget_all() -> None:
    """Void every copy of this process (called after each commit that wrote something)."""
    global _generation
    _generation = next(_generations)  # next() on a count is atomic: no lock among threads


@event.listens_for(Session, "after_flush")
def _flushed(session: Session, _context: Any) -> None:
    session.info[_WROTE] = True


@event.listens_for(Session, "do_orm_execute")
def _executed(state: Any) -> None:
    if not state.is_select:  # an UPDATE/DELETE statement, or SQL text that may be one
        state.session.info[_WROTE] = True


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    if session.info.pop(_WROTE, False):
        forget_all()


# A rollback leaves the mark: writes undone cost one needless forgetting at the next commit,
# while writes kept before a rolled-back savepoint must still void the copies.


@dataclass(slots=True)
class PageFill:
    """What goes into a copy's holes for one visitor."""

    visitor_html: str
    csrf_token: str

    def into(self, body: bytes) -> bytes:
        return body.replace(_VISITOR_HOLE, self.visitor_html.encode()).replace(_CSRF_HOLE, self.csrf_token.encode())


_VISITOR_HOLE = VISITOR_HOLE.encode()
_CSRF_HOLE = CSRF_HOLE.encode()


@dataclass(slots=True)
class Copy:
    """A page as made for everyone, holes included."""

    made_at: float
    """``time.monotonic()`` before its data was read."""
    generation: int
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    route: Any = None
    """The route that made it, handed to the request served from it (the metrics label it)."""


Key = tuple[Any, ...]


class PageCache:
    """The copies of one process; used from its event loop only (``forget_all`` excepted)."""

    def __init__(self, max_age: float, *, max_bytes: int = MAX_BYTES, max_copies: int = MAX_COPIES) -> None:
        self.max_age = max_age
        self.refresh_after = max_age / 2
        self.max_bytes = max_bytes
        self.max_copies = max_copies
        self.size = 0
        self.hits = 0
        self._copies: OrderedDict[Key, Copy] = OrderedDict()
        self._refreshing: set[Key] = set()

    def __len__(self) -> int:
        return len(self._copies)

    def lookup(self, key: Key, now: float) -> tuple[Copy | None, bool]:
        """The copy to serve (or None: there is none, or it is too old), and whether this
        visitor makes the next one: the first to ask once the copy is past ``refresh_after``,
        who must then call ``made(key)``."""
        copy = self._copies.get(key)
        if copy is None:
            return None, False
        age = now - copy.made_at
        if copy.generation != _generation:
            self._drop(key)
            return None, False
        if age >= self.max_age:  # kept, never served: it says the page is one made for everyone
            return None, False
        if age >= self.refresh_after and key not in self._refreshing:
            self._refreshing.add(key)
            return None, True
        self._copies.move_to_end(key)
        return copy, False

    def known(self, key: Key) -> bool:
        """Whether ``key`` had a copy since the last write: a page made for everyone, which a
        shopper may wait for while another makes it again."""
        copy = self._copies.get(key)
        return copy is not None and copy.generation == _generation

    def made(self, key: Key) -> None:
        """The visitor who was making ``key`` is done, with or without a copy."""
        self._refreshing.discard(key)

    def keep(self, key: Key, copy: Copy) -> None:
        """Keep ``copy`` unless a write voided it while it was made, or it alone is too big."""
        if copy.generation != _generation or len(copy.body) > self.max_bytes // 8:
            return
        self._drop(key)
        self._copies[key] = copy
        self.size += len(copy.body)
        while self.size > self.max_bytes or len(self._copies) > self.max_copies:
            oldest = next(iter(self._copies))
            self._drop(oldest)

    def _drop(self, key: Key) -> None:
        copy = self._copies.pop(key, None)
        if copy is not None:
            self.size -= len(copy.body)
