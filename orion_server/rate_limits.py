"""Per-client rate limits on what an anonymous visitor can make the shop do: cart and checkout
writes (stock held, orders placed, confirmation e-mails sent), e-mails asked for (resets,
registrations), and provider webhooks (each may cost outbound calls).

A route declares its limit where it is defined: ``dependencies=[RateLimited("checkout.place",
"10/hour")]``. Over the limit the answer is 429 with ``Retry-After``, a translated page or the
API's JSON error. Counts use the ``limits`` library's moving window in this process's memory:
they cost no database write on the shoppers' path; with several server workers each counts on
its own, so a client gets at most the limit times the number of workers. The client is the
address the platform middleware resolved (the real one behind a trusted proxy).
"""

from __future__ import annotations

import math
import time
from typing import Any

from fastapi import Depends, Request
from limits import parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

from orion_server.errors import TooManyAttemptsError
from orion_server.i18n import t

_storage = MemoryStorage()
_limiter = MovingWindowRateLimiter(_storage)


def client_address(request: Request) -> str:
    """Who is asking: the client address (the middleware put the real one behind a proxy)."""
    return request.client.host if request.client else "unknown"


def hit(name: str, rule: str, *keys: str, language: str = "en") -> None:
    """Count one use of ``name`` by ``keys``; TooManyAttemptsError once ``rule`` is exceeded."""
    limit = parse(rule)
    if _limiter.hit(limit, name, *keys):
        return
    reset_at, _remaining = _limiter.get_window_stats(limit, name, *keys)
    wait = max(1, math.ceil(reset_at - time.time()))
    raise TooManyAttemptsError(t("errors.rate_limited", language, minutes=max(1, math.ceil(wait / 60))),
                               retry_after=wait)


def RateLimited(name: str, rule: str) -> Any:  # noqa: N802 - it reads as a declaration where it is used
    """A route dependency: at most ``rule`` (``"10/hour"``) uses of ``name`` per client address
    and store (or platform)."""

    async def check(request: Request) -> None:  # counts in memory: no thread needed
        store = getattr(request.state, "store", None)
        scope = f"store:{store.id}" if store is not None else "installation"
        hit(name, rule, client_address(request), scope, language=getattr(request.state, "language", "en"))

    check.rate_limit = (name, rule)  # type: ignore[attr-defined]
    return Depends(check)


def reset() -> None:
    """Forget every count (tests)."""
    _storage.reset()
