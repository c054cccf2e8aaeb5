"""What the Customers module needs from others, declared here and filled in by them.

The orders module (optional) registers a ``CustomerOrderStatsProvider`` in
``order_stats_providers``; the module messaging (core) appends a callable to
``password_reset_senders`` to e-mail the reset link. Customers never imports either.
``login_listeners`` (contracts' ``shopper_login_listeners``) are told of every storefront
sign-in and registration; the cart merges the anonymous cart there.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from modules.contracts.customer_stats import (  # noqa: F401  (re-exported for customers' code)
    CustomerOrderStats,
    CustomerOrderStatsProvider,
    order_stats_providers,
)
from modules.contracts.storefront_customer import (  # noqa: F401  (re-exported)
    ShopperLogin,
)
from modules.contracts.storefront_customer import (  # noqa: F401  (re-exported)
    shopper_login_listeners as login_listeners,
)

PasswordResetSender = Callable[[Any, str], None]
"""``(customer, link)``: deliver the reset link to the customer (e-mail)."""

password_reset_senders: list[PasswordResetSender] = []
"""Called in order after a reset link was made; a failing sender does not stop the others."""
