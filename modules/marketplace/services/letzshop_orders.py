"""Orders from Letzshop: a store's connection (endpoint and sealed bearer key), the sync that
brings new orders into the orders module (``channel="letzshop"``, Letzshop's id as
``external_id``) and holds their stock, the staff's confirmation of each inventory unit, the
tracking number, and the stock levels pushed back.

**Once, whole, or not yet.** Each order is brought in on its own: the store's order is placed
through the ``ChannelOrders`` contract (the store, channel and external id are unique
together: placing it again returns the first), each unit's stock is reserved under a reference
of its own (reserving it again returns the first reservation), and the Letzshop record with its
units is written last, in one transaction. A sync stopped anywhere (Letzshop hangs on page 2,
a worker dies between two steps) leaves whole orders behind, and the next sync finds the
missing steps already done or does them, never twice.

**States.** A unit is ``unconfirmed`` until staff say whether it is available
(``confirmInventoryUnits`` with ``isAvailable``; some units may be confirmed now, others
later). The order follows REFERENCE.md's mapping: while a unit waits it is *pending* — in Orion
an order Letzshop has paid for and the store has not yet taken on is ``paid`` (Orion's
``pending_payment`` would say the shopper owes money, which a Letzshop shopper does not);
confirmed with at least one unit available it is ``processing``; every unit unavailable,
``cancelled``; its shipment shipped (tracking sent), ``shipped``. An available unit is sold
(its reservation committed), an unavailable one gives its unit back.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from modules.contracts.channel_orders import (
    ChannelOrderIn,
    ChannelOrderLine,
    ChannelOrders,
    channel_orders_of,
)
from modules.inventory.exceptions import OutOfStockError, ReservationStateError, StockInputError
from modules.inventory.services import inventory_service
from modules.marketplace.config import config
from modules.marketplace.exceptions import MarketplaceInputError, Problem
from modules.marketplace.models import LetzshopConnection, LetzshopOrder, LetzshopSync, LetzshopUnit
from modules.marketplace.services.letzshop_client import LetzshopClient, LetzshopError
from modules.marketplace.services.remote_images import host_allowed
from orion_server import audit
from orion_server.config import SUPPORTED_LANGUAGES
from orion_server.database import begin_write, utcnow
from orion_server.errors import NotFoundError, OrionError
from orion_server.forms import InputError
from orion_server.pagination import Page, clamp_page
from orion_server.secrets_box import SecretsBoxError, reveal, seal
from orion_server.tenants import platform_id_of_store

logger = logging.getLogger(__name__)

CHANNEL = "letzshop"
ACTOR = "letzshop"
HOLD = timedelta(days=30)
"""How long a unit waiting for the staff's answer keeps its stock."""
PER_PAGE = 20
STALE_RUN = timedelta(hours=1)
"""A sync still running after this long lost its worker."""
MAX_ENDPOINT = 500
MAX_KEY = 500
MIN_KEY = 8
MAX_TRACKING = 100
TRACKING_PROVIDERS = ("post_lu", "dhl", "dpd", "gls", "ups", "fedex", "other")
UNCONFIRMED, AVAILABLE, UNAVAILABLE, RETURNED = (
    "unconfirmed", "confirmed_available", "confirmed_unavailable", "returned"
)
UNIT_STATES = (UNCONFIRMED, AVAILABLE, UNAVAILABLE, RETURNED)
ORDER_STATES = ("unconfirmed", "confirmed", "declined", "shipped")
ORION_STATUS = {"unconfirmed": "paid", "confirmed": "processing", "declined": "cancelled", "shipped": "shipped"}
"""Letzshop's state of an order -> the store's order status (see the module's docstring)."""


def order_state(unit_states: Iterable[str], *, shipped: bool = False) -> str:
    """The Letzshop order's state from its units' (and whether its shipment left)."""
    states = list(unit_states)
    if shipped:
        return "shipped"
    if not states or UNCONFIRMED in states:
        return "unconfirmed"
    if any(state in (AVAILABLE, RETURNED) for state in states):
        return "confirmed"
    return "declined"


def reference(store_id: int, unit_id: str) -> str:
    """The stock reservation of one Letzshop unit."""
    return f"letzshop:{store_id}:{unit_id}"[:100]


# -- the connection ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConnectionView:
    """A store's connection as a page may show it: never the key, only that one is set and
    its last four characters."""

    endpoint: str = ""
    key_set: bool = False
    key_hint: str = ""

    @property
    def configured(self) -> bool:
        return bool(self.endpoint and self.key_set)


class NotConnected(OrionError):
    """The store has no Letzshop connection, its key cannot be read any more, or the orders
    module is off: ``key`` translates which for staff."""

    status = 409
    code = "not_connected"

    def __init__(self, message: str, key: str = "marketplace.orders.errors.not_connected") -> None:
        super().__init__(message)
        self.key = key
        self.params: dict[str, Any] = {}


def _check_endpoint(endpoint: str) -> str | None:
    """The translation key of what is wrong with an endpoint, None when it may be used."""
    if not endpoint:
        return "marketplace.orders.errors.endpoint_required"
    if len(endpoint) > MAX_ENDPOINT:
        return "marketplace.orders.errors.endpoint_long"
    parts = urlsplit(endpoint)
    allowed_schemes = ("https", "http") if config.letzshop_allow_http else ("https",)
    if parts.scheme not in allowed_schemes or not parts.hostname or parts.username or parts.password:
        return "marketplace.orders.errors.endpoint_url"
    if not host_allowed(parts.hostname.lower(), config.letzshop_allowed_hosts):
        return "marketplace.orders.errors.endpoint_host"
    return None


class LetzshopOrderService:
    """A store's Letzshop connection, the order sync, the staff's confirmations and shipments,
    and the stock pushed back; every query is scoped to a store."""

    # -- connection ------------------------------------------------------------------------------

    def connection(self, db: Session, *, store_id: int) -> ConnectionView:
        row = db.scalar(select(LetzshopConnection).where(LetzshopConnection.store_id == store_id))
        if row is None:
            return ConnectionView()
        return ConnectionView(endpoint=row.endpoint, key_set=bool(row.api_key), key_hint=row.key_hint)

    def save_connection(self, db: Session, *, store_id: int, endpoint: str, api_key: str,
                        actor: Any = None) -> ConnectionView:
        """Keep the store's endpoint and key (an empty key keeps the one stored), audited (the
        endpoints before and after, whether a key was typed: never the key); raises
        MarketplaceInputError naming each bad field."""
        endpoint = (endpoint or "").strip()
        api_key = (api_key or "").strip()
        problems: list[Problem] = []
        wrong = _check_endpoint(endpoint)
        if wrong:
            problems.append(Problem("endpoint", wrong, {"hosts": ", ".join(config.letzshop_allowed_hosts)}))
        begin_write(db)
        row = db.scalar(select(LetzshopConnection).where(LetzshopConnection.store_id == store_id))
        if api_key:
            if len(api_key) < MIN_KEY or len(api_key) > MAX_KEY or any(c.isspace() for c in api_key):
                problems.append(Problem("api_key", "marketplace.orders.errors.key_format",
                                        {"min": MIN_KEY, "max": MAX_KEY}))
        elif row is None or not row.api_key:
            problems.append(Problem("api_key", "marketplace.orders.errors.key_required"))
        if problems:
            db.rollback()
            raise MarketplaceInputError(problems)
        before = row.endpoint if row is not None else ""
        if row is None:
            row = LetzshopConnection(store_id=store_id, endpoint=endpoint, api_key="", key_hint="")
            db.add(row)
        audit.record(db, "marketplace.letzshop.connection_saved", target=endpoint, actor=actor, store_id=store_id,
                     platform_id=platform_id_of_store(db, store_id), before={"endpoint": before},
                     after={"endpoint": endpoint}, key_typed=bool(api_key))
        row.endpoint = endpoint
        if api_key:
            row.api_key = seal(api_key)
            row.key_hint = api_key[-4:]
        row.updated_at = utcnow()
        db.commit()
        return self.connection(db, store_id=store_id)

    def client(self, db: Session, *, store_id: int) -> LetzshopClient:
        """A client with the store's endpoint and key; NotConnected without them."""
        row = db.scalar(select(LetzshopConnection).where(LetzshopConnection.store_id == store_id))
        if row is None or not row.api_key:
            raise NotConnected("the store has no Letzshop connection")
        try:
            key = reveal(row.api_key)
        except SecretsBoxError:
            logger.error("the Letzshop key of store %s cannot be decrypted (the installation secret key "
                         "changed); enter it again on the Letzshop page", store_id)
            raise NotConnected("the Letzshop key cannot be read since the installation's secret key changed",
                               "marketplace.orders.errors.key_unreadable") from None
        return LetzshopClient(row.endpoint, key, timeout=config.letzshop_timeout)

    def connected_store_ids(self, db: Session) -> list[int]:
        return list(db.scalars(select(LetzshopConnection.store_id).order_by(LetzshopConnection.store_id)))

    # -- reading ---------------------------------------------------------------------------------

    def orders(self, db: Session, *, store_id: int, page: int = 1) -> Page[LetzshopOrder]:
        total = db.scalar(select(func.count()).select_from(LetzshopOrder).where(LetzshopOrder.store_id == store_id)) or 0
        page = clamp_page(page, total, PER_PAGE)
        items = list(db.scalars(
            select(LetzshopOrder).where(LetzshopOrder.store_id == store_id)
            .order_by(LetzshopOrder.placed_at.desc(), LetzshopOrder.id.desc())
            .offset((page - 1) * PER_PAGE).limit(PER_PAGE)
        ))
        return Page(items=items, total=total, page=page, per_page=PER_PAGE)

    def syncs(self, db: Session, *, store_id: int, page: int = 1) -> Page[LetzshopSync]:
        total = db.scalar(select(func.count()).select_from(LetzshopSync).where(LetzshopSync.store_id == store_id)) or 0
        page = clamp_page(page, total, PER_PAGE)
        items = list(db.scalars(
            select(LetzshopSync).where(LetzshopSync.store_id == store_id)
            .order_by(LetzshopSync.started_at.desc(), LetzshopSync.id.desc())
            .offset((page - 1) * PER_PAGE).limit(PER_PAGE)
        ))
        return Page(items=items, total=total, page=page, per_page=PER_PAGE)

    def get(self, db: Session, *, store_id: int, letzshop_order_id: int) -> LetzshopOrder:
        found = db.get(LetzshopOrder, letzshop_order_id)
        if found is None or found.store_id != store_id:
            raise NotFoundError(f"no letzshop order {letzshop_order_id}")
        return found

    def last_sync(self, db: Session, *, store_id: int) -> LetzshopSync | None:
        return db.scalar(select(LetzshopSync).where(LetzshopSync.store_id == store_id)
                         .order_by(LetzshopSync.started_at.desc(), LetzshopSync.id.desc()).limit(1))

    # -- the sync --------------------------------------------------------------------------------

    def start_sync(self, db: Session, *, store_id: int, trigger: str) -> LetzshopSync:
        """Record a run about to start (committed, so the page shows it at once); a run still
        "running" after ``STALE_RUN`` lost its worker and is closed as failed."""
        begin_write(db)
        now = utcnow()
        db.execute(
            update(LetzshopSync)
            .where(LetzshopSync.store_id == store_id, LetzshopSync.status == "running",
                   LetzshopSync.started_at < now - STALE_RUN)
            .values(status="failed", finished_at=now, error_count=LetzshopSync.error_count + 1,
                    error="the worker running this sync stopped before it finished")
            .execution_options(synchronize_session=False)
        )
        run = LetzshopSync(store_id=store_id, trigger=trigger, status="running", started_at=now)
        db.add(run)
        db.commit()
        return run

    def sync(self, db: Session, *, store_id: int, trigger: str = "schedule",
             run: LetzshopSync | None = None) -> tuple[LetzshopSync, set[str]]:
        """Bring the store's Letzshop orders in, page by page, each order on its own; the run
        (with its counts and errors) and the SKUs whose stock changed. Letzshop failing
        (timeout, refused key, errors) ends the run as ``failed``: what came in so far is whole,
        the next run goes on."""
        run = run or self.start_sync(db, store_id=store_id, trigger=trigger)
        run_id = run.id
        since = self._since(db, store_id=store_id, before=run.started_at)
        fetched = created = errors = 0
        messages: list[str] = []
        touched: set[str] = set()
        status = "done"
        try:
            client = self.client(db, store_id=store_id)
            orders = channel_orders_of(db, store_id=store_id)
            if orders is None:
                raise NotConnected("the orders module is off on this store's platform",
                                   "marketplace.orders.errors.orders_off")
            db.commit()  # no transaction stays open while Letzshop answers
            for page in client.order_pages(updated_since=since):
                for node in page.nodes:
                    fetched += 1
                    try:
                        made, skus = self.bring_in(db, store_id=store_id, node=node, orders=orders)
                    except (InputError, LetzshopDataError) as exc:
                        db.rollback()
                        errors += 1
                        messages.append(f"order {node.get('id', '?')}: {exc}")
                        logger.warning("letzshop order %s of store %s refused: %s", node.get("id"), store_id, exc)
                        continue
                    created += int(made)
                    touched |= skus
        except (LetzshopError, NotConnected) as exc:
            db.rollback()
            status = "failed"
            errors += 1
            messages.append(str(exc))
            logger.warning("letzshop sync of store %s stopped: %s", store_id, exc)
        except Exception as exc:
            db.rollback()
            status = "failed"
            errors += 1
            messages.append(f"unexpected error: {type(exc).__name__}")
            logger.exception("letzshop sync of store %s failed", store_id)
        begin_write(db)
        run = db.get(LetzshopSync, run_id, populate_existing=True)
        assert run is not None
        run.status = status
        run.finished_at = utcnow()
        run.orders_fetched = fetched
        run.orders_created = created
        run.error_count = errors
        run.error = "\n".join(messages)[:4000]
        db.commit()
        return run, touched

    def _since(self, db: Session, *, store_id: int, before: datetime) -> str | None:
        """Ask only for orders changed since the last run that brought everything in started
        (an hour earlier, for clocks that disagree); everything on the first run. A run that
        stopped or refused an order does not count: its orders are asked for again."""
        last = db.scalar(select(LetzshopSync.started_at).where(
            LetzshopSync.store_id == store_id, LetzshopSync.status == "done", LetzshopSync.error_count == 0,
            LetzshopSync.started_at < before,
        ).order_by(LetzshopSync.started_at.desc()).limit(1))
        return (last - timedelta(hours=1)).isoformat() if last else None

    def bring_in(self, db: Session, *, store_id: int, node: Mapping[str, Any],
                 orders: ChannelOrders) -> tuple[bool, set[str]]:
        """Bring one Letzshop order in (or bring a known one up to date): whether it is new
        here, and the SKUs whose stock changed."""
        parsed = parse_order(node)
        known = db.scalar(select(LetzshopOrder).where(LetzshopOrder.store_id == store_id,
                                                      LetzshopOrder.external_id == parsed.order.external_id))
        if known is not None:
            db.commit()
            states = {unit_id: state for unit_id, state in parsed.unit_states.items()}
            skus = self._apply(db, store_id=store_id, record_id=known.id, states=states, orders=orders,
                               shipped=parsed.shipped, tracking=parsed.tracking)
            return False, skus
        placed = orders.place(db, store_id=store_id, order=parsed.order, actor=ACTOR)
        reserved: dict[str, bool] = {}
        skus: set[str] = set()
        for unit in parsed.units:
            if parsed.unit_states[unit.unit_id] == UNAVAILABLE:
                reserved[unit.unit_id] = False
                continue
            reserved[unit.unit_id] = self._reserve(db, store_id=store_id, unit_id=unit.unit_id, sku=unit.sku)
            skus.add(unit.sku)
        begin_write(db)
        record = LetzshopOrder(
            store_id=store_id, external_id=parsed.order.external_id, letzshop_number=parsed.number,
            shipment_id=parsed.shipment_id, order_id=placed.id, order_number=placed.number, state="unconfirmed",
            customer_name=parsed.order.customer_name, total_cents=placed.total_cents,
            placed_at=parsed.order.placed_at or utcnow(),
        )
        for position, unit in enumerate(parsed.units, start=1):
            record.units.append(LetzshopUnit(unit_id=unit.unit_id, position=position, sku=unit.sku, title=unit.title,
                                             unit_price_cents=unit.unit_price_cents, state=UNCONFIRMED,
                                             reserved=reserved[unit.unit_id]))
        db.add(record)
        try:
            db.commit()
        except IntegrityError:  # another sync wrote it a moment ago
            db.rollback()
            return False, skus
        skus |= self._apply(db, store_id=store_id, record_id=record.id, states=parsed.unit_states, orders=orders,
                            shipped=parsed.shipped, tracking=parsed.tracking)
        return True, skus

    @staticmethod
    def _reserve(db: Session, *, store_id: int, unit_id: str, sku: str) -> bool:
        """Hold one unit of ``sku`` for a Letzshop unit; False when none is free (staff will
        say it is unavailable) or the store does not stock the SKU."""
        try:
            inventory_service.reserve(db, store_id=store_id, lines=[(sku, 1)], reference=reference(store_id, unit_id),
                                      hold=HOLD)
        except (OutOfStockError, StockInputError):
            db.rollback()
            return False
        return True

    # -- states ----------------------------------------------------------------------------------

    def _apply(self, db: Session, *, store_id: int, record_id: int, states: Mapping[str, str],
               orders: ChannelOrders, shipped: bool = False, tracking: tuple[str, str] | None = None,
               actor: str = ACTOR) -> set[str]:
        """Bring a record's units to ``states`` (an unconfirmed unit that became available is
        sold, one that became unavailable gives its unit back), then the record's state and the
        store's order's status; the SKUs whose stock changed."""
        skus: set[str] = set()
        record = db.get(LetzshopOrder, record_id, populate_existing=True)
        assert record is not None
        changes = [(unit.id, unit.unit_id, unit.sku, unit.reserved, states[unit.unit_id])
                   for unit in record.units if unit.unit_id in states and states[unit.unit_id] != unit.state
                   and states[unit.unit_id] in UNIT_STATES and unit.state == UNCONFIRMED]
        db.commit()
        for unit_pk, unit_id, sku, was_reserved, new_state in changes:
            if was_reserved and new_state in (AVAILABLE, RETURNED):
                self._settle(db, store_id=store_id, unit_id=unit_id, sell=True, actor=actor)
            elif was_reserved and new_state == UNAVAILABLE:
                self._settle(db, store_id=store_id, unit_id=unit_id, sell=False, actor=actor)
            skus.add(sku)
            begin_write(db)
            unit = db.get(LetzshopUnit, unit_pk, populate_existing=True)
            assert unit is not None
            unit.state = new_state
            db.commit()
        begin_write(db)
        record = db.get(LetzshopOrder, record_id, populate_existing=True)
        assert record is not None
        state = order_state([unit.state for unit in record.units], shipped=shipped or record.state == "shipped")
        if tracking and not record.tracking_code:
            record.tracking_code, record.tracking_provider = tracking
        if state == "shipped" and record.shipped_at is None:
            record.shipped_at = utcnow()
        record.state = state
        record.updated_at = utcnow()
        order_id, number = record.order_id, record.order_number
        db.commit()
        self._follow(db, store_id=store_id, order_id=order_id, number=number, state=state, orders=orders, actor=actor)
        return skus

    @staticmethod
    def _settle(db: Session, *, store_id: int, unit_id: str, sell: bool, actor: str) -> None:
        """Sell or give back the unit held for a Letzshop unit (twice is harmless)."""
        ref = reference(store_id, unit_id)
        try:
            if sell:
                inventory_service.commit(db, reference=ref, store_id=store_id, actor=actor)
            else:
                inventory_service.release(db, reference=ref, store_id=store_id)
        except (NotFoundError, ReservationStateError):
            db.rollback()
            logger.info("reservation %s was already settled", ref)

    @staticmethod
    def _follow(db: Session, *, store_id: int, order_id: int, number: str, state: str, orders: ChannelOrders,
                actor: str) -> None:
        """Move the store's order to the status of Letzshop's ``state``, through processing on
        the way to shipped; a move the order's status machine refuses (staff changed it by
        hand) is left to staff and logged."""
        target = ORION_STATUS[state]
        current = orders.get(db, store_id=store_id, order_id=order_id)
        if current is None or current.status == target:
            return
        steps = ["processing", "shipped"] if target == "shipped" and current.status == "paid" else [target]
        try:
            for step in steps:
                orders.move(db, store_id=store_id, order_id=order_id, to=step, actor=actor,
                            note="Letzshop" if step == target else "")
        except OrionError as exc:
            db.rollback()
            logger.warning("order %s stays %s (letzshop: %s): %s", number, current.status, state, exc)

    def order_given_up(self, db: Session, *, store_id: int, order_id: int) -> set[str]:
        """The store's order of a Letzshop order was cancelled or refunded by hand: the units
        still waiting for an answer give their stock back; the SKUs whose stock changed."""
        record = db.scalar(select(LetzshopOrder).where(LetzshopOrder.store_id == store_id,
                                                       LetzshopOrder.order_id == order_id))
        if record is None:
            return set()
        waiting = [(unit.unit_id, unit.sku) for unit in record.units if unit.state == UNCONFIRMED and unit.reserved]
        db.commit()
        for unit_id, _sku in waiting:
            self._settle(db, store_id=store_id, unit_id=unit_id, sell=False, actor=ACTOR)
        return {sku for _unit_id, sku in waiting}

    # -- staff -----------------------------------------------------------------------------------

    def confirm(self, db: Session, *, store_id: int, letzshop_order_id: int, decisions: Mapping[int, bool],
                actor: str) -> set[str]:
        """Tell Letzshop which of the order's waiting units are available (some may wait for
        later), then sell or give back their stock and move the order on; the SKUs whose stock
        changed. MarketplaceInputError when no waiting unit was answered; LetzshopError (nothing
        changed here) when Letzshop refuses."""
        record = self.get(db, store_id=store_id, letzshop_order_id=letzshop_order_id)
        waiting = {unit.id: unit for unit in record.units if unit.state == UNCONFIRMED}
        chosen = [(waiting[pk].unit_id, available) for pk, available in decisions.items() if pk in waiting]
        if not chosen:
            db.rollback()
            raise MarketplaceInputError([Problem("units", "marketplace.orders.errors.choose_units")])
        orders = channel_orders_of(db, store_id=store_id)
        if orders is None:
            raise NotConnected("the orders module is off on this store's platform",
                                   "marketplace.orders.errors.orders_off")
        client = self.client(db, store_id=store_id)
        db.commit()
        answered = client.confirm_units(chosen)
        states = {unit_id: answered.get(unit_id) or (AVAILABLE if available else UNAVAILABLE)
                  for unit_id, available in chosen}
        return self._apply(db, store_id=store_id, record_id=letzshop_order_id, states=states, orders=orders,
                           actor=actor)

    def ship(self, db: Session, *, store_id: int, letzshop_order_id: int, code: str, provider: str,
             actor: str) -> LetzshopOrder:
        """Send the shipment's tracking number to Letzshop and keep it here; the order becomes
        shipped. MarketplaceInputError naming the field; LetzshopError when Letzshop refuses."""
        record = self.get(db, store_id=store_id, letzshop_order_id=letzshop_order_id)
        code = (code or "").strip()
        provider = (provider or "").strip()
        problems: list[Problem] = []
        if record.state != "confirmed":
            problems.append(Problem("tracking_code", "marketplace.orders.errors.not_confirmed"))
        elif not code:
            problems.append(Problem("tracking_code", "marketplace.orders.errors.tracking_required"))
        elif len(code) > MAX_TRACKING or any(c.isspace() for c in code):
            problems.append(Problem("tracking_code", "marketplace.orders.errors.tracking_format",
                                    {"max": MAX_TRACKING}))
        if provider not in TRACKING_PROVIDERS:
            problems.append(Problem("tracking_provider", "marketplace.orders.errors.provider"))
        if problems:
            db.rollback()
            raise MarketplaceInputError(problems)
        orders = channel_orders_of(db, store_id=store_id)
        if orders is None:
            raise NotConnected("the orders module is off on this store's platform",
                                   "marketplace.orders.errors.orders_off")
        client = self.client(db, store_id=store_id)
        shipment_id, order_id = record.shipment_id, record.order_id
        db.commit()
        client.set_tracking(shipment_id=shipment_id, code=code, provider=provider)
        begin_write(db)
        record = self.get(db, store_id=store_id, letzshop_order_id=letzshop_order_id)
        record.tracking_code, record.tracking_provider = code, provider
        db.commit()
        self._apply(db, store_id=store_id, record_id=letzshop_order_id, states={}, orders=orders, shipped=True,
                    actor=actor)
        try:
            orders.add_note(db, store_id=store_id, order_id=order_id, body=f"Letzshop tracking: {provider} {code}",
                            author=actor)
        except OrionError:
            db.rollback()
        return self.get(db, store_id=store_id, letzshop_order_id=letzshop_order_id)

    # -- stock -----------------------------------------------------------------------------------

    def push_stock(self, db: Session, *, store_id: int, skus: Iterable[str]) -> int:
        """Tell Letzshop what can be sold of ``skus`` now (unlimited SKUs are not stock-kept
        there); how many levels were sent. NotConnected without a connection; LetzshopError."""
        wanted = sorted({sku for sku in skus if sku})
        if not wanted:
            return 0
        client = self.client(db, store_id=store_id)
        levels = [(sku, max(0, free)) for sku, free in
                  inventory_service.available(db, store_id=store_id, skus=wanted).items() if free is not None]
        db.commit()
        if not levels:
            return 0
        client.update_stock(levels)
        return len(levels)

    def is_connected(self, db: Session, *, store_id: int) -> bool:
        return db.scalar(select(LetzshopConnection.id).where(LetzshopConnection.store_id == store_id)) is not None


# -- reading Letzshop's orders -------------------------------------------------------------------


class LetzshopDataError(ValueError):
    """An order from Letzshop that cannot be read (a field missing or wrong)."""


@dataclass(frozen=True)
class ParsedUnit:
    unit_id: str
    sku: str
    title: str
    unit_price_cents: int
    vat_rate: int


@dataclass(frozen=True)
class ParsedOrder:
    order: ChannelOrderIn
    number: str
    shipment_id: str
    units: tuple[ParsedUnit, ...]
    unit_states: dict[str, str]
    shipped: bool
    tracking: tuple[str, str] | None


def _cents(value: Any, what: str) -> int:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise LetzshopDataError(f"{what} is not an amount: {value!r}") from None
    if not amount.is_finite() or amount < 0:
        raise LetzshopDataError(f"{what} is not an amount: {value!r}")
    return int((amount * 100).quantize(Decimal(1)))


def _text(value: Any, limit: int) -> str:
    return ("" if value is None else str(value)).strip()[:limit]


def _address(raw: Any) -> dict[str, str] | None:
    if not isinstance(raw, Mapping):
        return None
    name = " ".join(part for part in (_text(raw.get("firstName"), 100), _text(raw.get("lastName"), 100)) if part)
    street = " ".join(part for part in (_text(raw.get("streetNumber"), 20), _text(raw.get("streetName"), 180)) if part)
    return {
        "name": name[:200], "company": _text(raw.get("company"), 200), "street": street[:200],
        "street2": _text(raw.get("streetName2"), 200), "postal_code": _text(raw.get("zipCode"), 20),
        "city": _text(raw.get("city"), 100), "country": _text(raw.get("countryIso"), 2).upper(),
        "phone": _text(raw.get("phone"), 50),
    }


def _moment(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else None


def parse_order(node: Mapping[str, Any]) -> ParsedOrder:
    """A Letzshop order node as the store's order and its units; LetzshopDataError when it
    cannot be read."""
    external_id = _text(node.get("id"), 100)
    if not external_id:
        raise LetzshopDataError("the order has no id")
    raw_units = node.get("inventoryUnits") or []
    if not isinstance(raw_units, list) or not raw_units:
        raise LetzshopDataError("the order has no inventory units")
    units: list[ParsedUnit] = []
    states: dict[str, str] = {}
    for raw in raw_units:
        variant = raw.get("variant") or {}
        unit_id = _text(raw.get("id"), 100)
        sku = _text(variant.get("sku"), 100)
        if not unit_id or not sku:
            raise LetzshopDataError("an inventory unit has no id or no SKU")
        try:
            vat = int(Decimal(str(raw.get("vatRate", 17))))
        except (InvalidOperation, ValueError):
            raise LetzshopDataError(f"unit {unit_id}'s VAT rate is not a number") from None
        units.append(ParsedUnit(unit_id=unit_id, sku=sku, title=_text(variant.get("title"), 300) or sku,
                                unit_price_cents=_cents(raw.get("price"), f"unit {unit_id}'s price"), vat_rate=vat))
        state = _text(raw.get("state"), 30).lower()
        states[unit_id] = state if state in UNIT_STATES else UNCONFIRMED
    grouped: dict[tuple[str, int, int], list[ParsedUnit]] = {}
    for unit in units:
        grouped.setdefault((unit.sku, unit.unit_price_cents, unit.vat_rate), []).append(unit)
    lines = tuple(
        ChannelOrderLine(sku=sku, title=same[0].title, quantity=len(same), unit_price_cents=price, vat_rate=vat)
        for (sku, price, vat), same in grouped.items()
    )
    customer = node.get("customer") or {}
    ship = _address(node.get("shipAddress"))
    name = " ".join(p for p in (_text(customer.get("firstName"), 100), _text(customer.get("lastName"), 100)) if p)
    language = _text(node.get("locale"), 10)[:2].lower()
    shipment = node.get("shipment") or {}
    tracking = shipment.get("tracking") or {}
    code = _text(tracking.get("code"), MAX_TRACKING)
    shipped = bool(shipment.get("shippedAt")) or _text(shipment.get("state"), 20) == "shipped"
    order = ChannelOrderIn(
        channel=CHANNEL, external_id=external_id, lines=lines,
        customer_email=_text(node.get("email"), 255), customer_name=(name or (ship or {}).get("name", ""))[:200],
        customer_phone=_text(node.get("phone"), 50),
        customer_language=language if language in SUPPORTED_LANGUAGES else "fr",
        shipping_address=ship, billing_address=_address(node.get("billAddress")),
        shipping_label="Letzshop", shipping_cents=_cents(node.get("shippingPrice") or 0, "the shipping price"),
        placed_at=_moment(node.get("createdAt")),
    )
    return ParsedOrder(order=order, number=_text(node.get("number"), 100), shipment_id=_text(shipment.get("id"), 100),
                       units=tuple(units), unit_states=states, shipped=shipped,
                       tracking=(code, _text(tracking.get("provider"), 50)) if code else None)


letzshop_orders = LetzshopOrderService()
