"""Orders taken on an outside sales channel (Letzshop), which the orders module keeps
(``provides={ChannelOrders: ...}``) and a channel's module brings in without importing it::

    from modules.contracts.channel_orders import channel_orders_of

    orders = channel_orders_of(db, store_id=store.id)   # None where orders is off
    placed = orders.place(db, store_id=store.id, order=ChannelOrderIn(channel="letzshop", ...))

An outside order is known by its channel and its id there (``external_id``): placing the same
one twice returns the first (the store, channel and external id are unique together), so a
channel's sync can be run again after it stopped half-way. Placing commits, and writes the
whole order or nothing. Amounts are integer cents, VAT included; VAT rates whole percent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

from orion_server.providers import get_provider
from orion_server.tenants import platform_id_of_store

CHANNELS = ("letzshop",)
"""The outside channels orders know (their label is ``orders.channel.<code>``)."""


@dataclass(frozen=True)
class ChannelOrderLine:
    """One product line as the channel sold it."""

    sku: str
    title: str
    quantity: int
    unit_price_cents: int
    vat_rate: int = 17
    """Whole percent (Luxembourg: 17, 14, 8, 3 or 0)."""
    options: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ChannelOrderIn:
    """What a channel knows of an order when it is brought in."""

    channel: str
    external_id: str
    lines: tuple[ChannelOrderLine, ...]
    customer_email: str = ""
    customer_name: str = ""
    customer_phone: str = ""
    customer_language: str = "fr"
    shipping_address: dict[str, str] | None = None
    """``name``, ``company``, ``street``, ``street2``, ``postal_code``, ``city``, ``country``
    (ISO code), ``phone``; the billing address defaults to it."""
    billing_address: dict[str, str] | None = None
    shipping_label: str = ""
    shipping_cents: int = 0
    placed_at: datetime | None = None


@dataclass(frozen=True)
class ChannelOrder:
    """An order of a channel as the orders module keeps it."""

    id: int
    number: str
    """The store's number for it, e.g. ``BD-000123``."""
    status: str
    total_cents: int
    created: bool = False
    """True when this call placed it (False: it was there already)."""


@runtime_checkable
class ChannelOrders(Protocol):
    """Bringing in and moving on the orders of outside channels (the orders module)."""

    def place(self, db: Any, *, store_id: int, order: ChannelOrderIn, actor: str) -> ChannelOrder:
        """Create the order, already paid (the channel took the payment), with the store's next
        number; the one placed first when the store already has this channel's
        ``external_id``. Broken rules raise ``orion_server.forms.InputError`` naming the fields."""
        ...

    def find(self, db: Any, *, store_id: int, channel: str, external_id: str) -> ChannelOrder | None:
        """The store's order of ``channel`` known there as ``external_id``, None if none."""
        ...

    def get(self, db: Any, *, store_id: int, order_id: int) -> ChannelOrder | None:
        """The store's order ``order_id``, None if it has none by that id."""
        ...

    def move(self, db: Any, *, store_id: int, order_id: int, to: str, actor: str, note: str = "") -> ChannelOrder:
        """Move the order to status ``to`` (``processing``, ``shipped``, ``cancelled``...) when
        the order's status machine allows it, and commit; a move to the status it has is a
        no-op; a refused move raises ``orion_server.errors.ValidationError``."""
        ...

    def add_note(self, db: Any, *, store_id: int, order_id: int, body: str, author: str) -> None:
        """Keep a staff note on the order (a tracking number, a refused item) and commit."""
        ...


def channel_orders_of(db: Any, *, store_id: int) -> ChannelOrders | None:
    """The orders of the store's platform, None where no enabled module keeps them."""
    return get_provider(db, ChannelOrders, platform_id=platform_id_of_store(db, store_id))
