"""The signed-in shopper, for modules that may not import customers (orders, cart).

Two protocols, declared with ``provides=`` in a definition:

* ``ShopperResolver`` (customers provides it): optional modules ask
  ``current_shopper(request, db)`` who is signed in at the request's store (None when nobody
  is, or when no enabled module provides accounts) and ``login_path(request, db)`` where to send
  a shopper to sign in::

      from modules.contracts.storefront_customer import current_shopper, login_path

      shopper = current_shopper(request, db)
      if shopper is None:
          ...  # redirect to root + login_path(request, db)

* ``ShopperLoginHook`` (the cart provides one): customers calls ``announce_shopper_login``
  after a successful storefront sign-in or registration, and every hook enabled on the
  platform runs: the cart merges the anonymous cart into the customer's. A hook gets the
  request and the response, so it may read and set its own cookies; this is why it is a
  provider called during the request, not an event delivered after it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from orion_server.providers import get_provider, get_providers

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CurrentShopper:
    """A customer signed in at one store's storefront."""

    customer_id: int
    store_id: int
    email: str
    name: str
    language: str
    """The customer's preferred language."""


@runtime_checkable
class ShopperResolver(Protocol):
    """Who is signed in at a storefront request (the customers module)."""

    login_path: str
    """The sign-in page, relative to the storefront root (e.g. ``account/login``)."""

    session_cookie: str
    """The cookie a signed-in shopper's browser sends: without it nobody is signed in, which
    the framework knows without the database (``orion_server.deps.storefront_shopper_language``)."""

    def current(self, request: Any, db: Any) -> CurrentShopper | None:
        """The shopper signed in at the request's store, or None."""
        ...


def _platform_id(request: Any) -> int | None:
    platform = getattr(request.state, "platform", None)
    return platform.id if platform is not None else None


def current_shopper(request: Any, db: Any) -> CurrentShopper | None:
    """The shopper signed in at the request's store; None when nobody is or nobody can be."""
    resolver = get_provider(db, ShopperResolver, platform_id=_platform_id(request))
    return resolver.current(request, db) if resolver is not None else None


def shopper_cookies() -> frozenset[str]:
    """The session cookies of every module able to provide ``ShopperResolver`` (enabled or not)."""
    from orion_server.providers import implementations_of

    return frozenset(resolver.session_cookie for resolver in implementations_of(ShopperResolver))


def login_path(request: Any, db: Any) -> str | None:
    """The sign-in page relative to the storefront root; None when no module provides accounts."""
    resolver = get_provider(db, ShopperResolver, platform_id=_platform_id(request))
    return resolver.login_path if resolver is not None else None


def require_shopper(request: Any, db: Any, store_id: int) -> CurrentShopper:
    """The customer signed in at store ``store_id``, for a page that needs one: anyone else is
    sent to the sign-in form (``LoginRequired``), and where no module provides accounts the
    page does not exist (``NotFoundError``)."""
    from orion_server.deps import LoginRequired, storefront_root
    from orion_server.errors import NotFoundError

    shopper = current_shopper(request, db)
    if shopper is None or shopper.store_id != store_id:
        path = login_path(request, db)
        if path is None:
            raise NotFoundError("no customer accounts")
        raise LoginRequired(storefront_root(request) + path)
    return shopper


@dataclass(frozen=True)
class ShopperLogin:
    """A shopper just signed in (or registered, and was signed in) at a storefront."""

    store_id: int
    customer_id: int
    registered: bool
    """True when the account was created by this request."""
    request: Any
    """The sign-in request (its cookies, e.g. the anonymous cart's token)."""
    response: Any
    """The response that will be sent: a hook may set cookies on it."""


@runtime_checkable
class ShopperLoginHook(Protocol):
    """Something to do in the request of a storefront sign-in (the cart merges carts)."""

    def after_login(self, db: Any, login: ShopperLogin) -> None:
        """Called after the customer's session was committed; may commit its own work."""
        ...


def announce_shopper_login(db: Any, login: ShopperLogin) -> None:
    """Run every sign-in hook enabled on the request's platform, each as its own unit of work:
    a failing one is logged and rolled back, and never stops the sign-in."""
    for hook in get_providers(db, ShopperLoginHook, platform_id=_platform_id(login.request)):
        try:
            hook.after_login(db, login)
        except Exception:
            logger.exception("a sign-in hook failed for customer %s", login.customer_id)
            db.rollback()
