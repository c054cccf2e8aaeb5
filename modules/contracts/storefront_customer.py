"""The signed-in shopper, for modules that may not import customers (orders, cart).

Two registries:

* ``shopper_resolvers``: the customers module registers one at start-up; optional modules ask
  ``current_shopper(request, db)`` who is signed in at the request's store (None when nobody
  is, or when no module provides accounts) and ``login_path()`` where to send a shopper to sign
  in::

      from modules.contracts.storefront_customer import current_shopper, login_path

      shopper = current_shopper(request, db)
      if shopper is None:
          ...  # redirect to root + login_path()

* ``shopper_login_listeners``: customers calls ``fire_shopper_login`` after a successful
  storefront sign-in or registration; the cart subscribes and merges the anonymous cart into
  the customer's. A listener gets the request and the response, so it may read and set its own
  cookies.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

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

    def current(self, request: Any, db: Any) -> CurrentShopper | None:
        """The shopper signed in at the request's store, or None."""
        ...


shopper_resolvers: list[ShopperResolver] = []
"""Registered resolvers; the first one answers. Empty while no module provides accounts."""


def register_resolver(resolver: ShopperResolver) -> ShopperResolver:
    """Add ``resolver`` to ``shopper_resolvers``; registering the same object twice is a no-op."""
    if not any(existing is resolver for existing in shopper_resolvers):
        shopper_resolvers.append(resolver)
    return resolver


def current_shopper(request: Any, db: Any) -> CurrentShopper | None:
    """The shopper signed in at the request's store; None when nobody is or nobody can be."""
    for resolver in list(shopper_resolvers):
        return resolver.current(request, db)
    return None


def login_path() -> str | None:
    """The sign-in page relative to the storefront root; None when no module provides accounts."""
    for resolver in list(shopper_resolvers):
        return resolver.login_path
    return None


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
    """The response that will be sent: a listener may set cookies on it."""


ShopperLoginListener = Callable[[Any, ShopperLogin], None]
"""``(db, event)``: called after the customer's session was committed."""

shopper_login_listeners: list[ShopperLoginListener] = []
"""Listeners of storefront sign-ins (the cart registers one at start-up)."""


def subscribe_shopper_login(listener: ShopperLoginListener) -> ShopperLoginListener:
    """Call ``listener`` on every storefront sign-in; subscribing twice is a no-op."""
    if not any(existing is listener for existing in shopper_login_listeners):
        shopper_login_listeners.append(listener)
    return listener


def fire_shopper_login(db: Any, event: ShopperLogin) -> None:
    """Call every listener, each as its own unit of work: a failing one is logged and rolled
    back, and never stops the sign-in (the customer is signed in already)."""
    for listener in list(shopper_login_listeners):
        try:
            listener(db, event)
        except Exception:
            logger.exception(
                "a listener of shopper sign-ins failed for customer %s", event.customer_id
            )
            db.rollback()
