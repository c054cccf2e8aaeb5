"""A store in bad standing (an invoice unpaid past its grace period) is read-only for its staff:
every change a member makes through a store route is refused with the reason, except in the
modules the standing provider exempts (billing, so the store can pay). The framework asks the
``StandingProvider`` contract, so it never imports billing.
"""

from __future__ import annotations

from sqlalchemy.orm import Session
from starlette.requests import Request

from modules.contracts.store_standing import standing_provider
from orion_server.errors import PermissionDeniedError
from orion_server.i18n import t

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
"""Methods that change nothing (no CSRF token needed, allowed in a read-only store)."""


class StoreReadOnlyError(PermissionDeniedError):
    """The store is read-only for its staff until what it owes is paid (403)."""

    code = "store_read_only"
    worded_for_people = True


def _module_of(request: Request) -> str:
    """The module code of the route answering ``request`` (``billing``), '' for the framework's."""
    endpoint = request.scope.get("endpoint")
    parts = getattr(endpoint, "__module__", "").split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "modules" else ""


def refuse_changes_if_read_only(request: Request, db: Session, *, store_id: int) -> None:
    """StoreReadOnlyError, in the user's language, for an unsafe request to a read-only store
    outside the exempt modules; nothing for reads, or where no module provides standing."""
    if request.method in SAFE_METHODS:
        return
    provider = standing_provider(db, store_id=store_id)
    if provider is None or _module_of(request) in provider.exempt:
        return
    standing = provider.standing(db, store_id=store_id)
    if standing.read_only:
        language = getattr(request.state, "language", "en")
        raise StoreReadOnlyError(t(standing.message_key, language, **standing.params))
