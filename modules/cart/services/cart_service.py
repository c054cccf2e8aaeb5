"""Carts kept in the database, found by the hash of a random token the shopper's cookie holds.

The token is random (``new_token``); the database stores only ``sha256(store id : token)``, so
one cookie gives a separate cart at every store and a leaked table reveals no usable token.
Prices come from ``modules.contracts.product_catalog.find_offer`` and stock from the inventory
module, both checked again on every change and by ``refresh`` (checkout calls it before
placing an order).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, case, delete, insert, select, update
from sqlalchemy.orm import Session

from modules.cart.config import config
from modules.cart.models import Cart, CartLine
from modules.contracts.product_catalog import Offer, find_offer
from modules.inventory.services import inventory_service
from orion_server.database import begin_write, utcnow
from orion_server.errors import NotFoundError, ValidationError
from orion_server.i18n import format_money, t

CART_COOKIE = "orion_cart"
"""Name of the cookie holding the shopper's cart token."""
MAX_TOKEN = 200


@dataclass(frozen=True)
class CartTotals:
    """What a cart adds up to (prices VAT included)."""

    subtotal_cents: int
    item_count: int
    """Units over every line."""
    line_count: int


@dataclass
class Refreshed:
    """A cart after its prices and stock were checked, with what changed, in words."""

    cart: Cart
    messages: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class LineView:
    """A cart line as ``add`` leaves it (what the API and pages show of a line)."""

    sku: str
    title: str
    quantity: int
    unit_price_cents: int

    @property
    def total_cents(self) -> int:
        return self.quantity * self.unit_price_cents


@dataclass
class CartView:
    """A cart as ``add`` leaves it: its lines in the order they were added."""

    id: int
    lines: list[LineView]


_carts, _lines = Cart.__table__.c, CartLine.__table__.c
# ``add``'s statements, built once: each use only looks its compiled form up
_CART_OF_TOKEN = select(_carts.id, _carts.status, _carts.expires_at).where(_carts.token_hash == bindparam("token_hash"))
_LINES_OF_CART = (
    select(_lines.sku, _lines.title, _lines.quantity, _lines.unit_price_cents)
    .where(_lines.cart_id == bindparam("cart_id"))
    .order_by(_lines.id)
)
_LET_GO = (
    update(Cart.__table__)
    .where(_carts.id == bindparam("cart_id"))
    .values(
        status=case((_carts.status == "open", "abandoned"), else_=_carts.status),
        token_hash=None,
        updated_at=bindparam("now"),
    )
)
_NEW_CART = (
    insert(Cart.__table__)
    .values(
        store_id=bindparam("store_id"), token_hash=bindparam("token_hash"), status="open",
        expires_at=bindparam("expires_at"), created_at=bindparam("now"), updated_at=bindparam("now"),
    )
    .returning(_carts.id)
)
_TOUCH_CART = (
    update(Cart.__table__)
    .where(_carts.id == bindparam("cart_id"))
    .values(updated_at=bindparam("now"), expires_at=bindparam("expires_at"))
)
# the line's statements take the same parameters (a bound parameter may not be named like a
# column the statement sets: hence of_cart, of_sku)
_NEW_LINE = insert(CartLine.__table__).values(
    cart_id=bindparam("of_cart"), sku=bindparam("of_sku"), quantity=bindparam("quantity"),
    unit_price_cents=bindparam("unit_price_cents"), title=bindparam("title"),
    created_at=bindparam("now"), updated_at=bindparam("now"),
)
_SET_LINE = (
    update(CartLine.__table__)
    .where(_lines.cart_id == bindparam("of_cart"), _lines.sku == bindparam("of_sku"))
    .values(
        quantity=bindparam("quantity"), unit_price_cents=bindparam("unit_price_cents"),
        title=bindparam("title"), updated_at=bindparam("now"),
    )
)


def _line_title(offer: Offer) -> str:
    if offer.options:
        return f"{offer.title} ({' / '.join(str(v) for v in offer.options.values())})"[:300]
    return offer.title[:300]


class CartService:
    """Open, fill, check, merge and expire carts."""

    # -- tokens --------------------------------------------------------------------------

    @staticmethod
    def new_token() -> str:
        """A fresh random token for the ``orion_cart`` cookie."""
        return secrets.token_urlsafe(32)

    @staticmethod
    def hash_token(*, store_id: int, token: str) -> str:
        """What is stored for ``token`` at ``store_id``."""
        return hashlib.sha256(f"{store_id}:{token}".encode()).hexdigest()

    @staticmethod
    def valid_token(token: str | None) -> bool:
        """Whether a cookie value may be a token (non-empty, not absurdly long)."""
        return bool(token) and len(token) <= MAX_TOKEN

    # -- reading -------------------------------------------------------------------------

    def find(self, db: Session, *, store_id: int, token: str | None) -> Cart | None:
        """The open, unexpired cart of ``token`` at ``store_id``, or None."""
        if not self.valid_token(token):
            return None
        cart = db.scalar(
            select(Cart).where(
                Cart.store_id == store_id,
                Cart.token_hash == self.hash_token(store_id=store_id, token=token),
            )
        )
        if cart is None or cart.status != "open" or cart.expires_at <= utcnow():
            return None
        return cart

    def for_customer(self, db: Session, *, store_id: int, customer_id: int) -> Cart | None:
        """The customer's open, unexpired cart at ``store_id``, or None."""
        return db.scalar(
            select(Cart)
            .where(
                Cart.store_id == store_id,
                Cart.customer_id == customer_id,
                Cart.status == "open",
                Cart.expires_at > utcnow(),
            )
            .order_by(Cart.updated_at.desc(), Cart.id.desc())
        )

    @staticmethod
    def totals(cart: Cart | CartView | None) -> CartTotals:
        """Subtotal, units and lines of ``cart`` (zeros for None)."""
        lines = cart.lines if cart is not None else []
        return CartTotals(
            subtotal_cents=sum(line.total_cents for line in lines),
            item_count=sum(line.quantity for line in lines),
            line_count=len(lines),
        )

    # -- writing -------------------------------------------------------------------------

    @staticmethod
    def _clean_quantity(quantity: Any, language: str, *, allow_zero: bool = False) -> int:
        try:
            value = int(str(quantity).strip())
        except (TypeError, ValueError):
            raise ValidationError(t("cart.errors.quantity_number", language), field="quantity") from None
        lowest = 0 if allow_zero else 1
        if value < lowest or value > config.max_quantity_per_line:
            raise ValidationError(
                t("cart.errors.quantity_range", language, low=lowest, high=config.max_quantity_per_line),
                field="quantity",
            )
        return value

    @staticmethod
    def _offer(db: Session, *, store_id: int, sku: Any, language: str) -> Offer:
        sku = str(sku or "").strip()
        if not sku:
            raise ValidationError(t("cart.errors.sku_required", language), field="sku")
        offer = find_offer(db, store_id=store_id, sku=sku[:64], language=language)
        if offer is None or not offer.published:
            raise ValidationError(t("cart.errors.sku_unknown", language), field="sku")
        return offer

    @classmethod
    def _check_stock(cls, db: Session, *, store_id: int, offer: Offer, quantity: int, language: str) -> None:
        available = inventory_service.available(db, store_id=store_id, skus=[offer.sku])[offer.sku]
        cls._refuse_beyond(available, offer=offer, quantity=quantity, language=language)

    @staticmethod
    def _refuse_beyond(available: int | None, *, offer: Offer, quantity: int, language: str) -> None:
        """ValidationError when ``quantity`` is more than ``available`` (None: unlimited)."""
        if available is not None and quantity > available:
            if available <= 0:
                message = t("cart.errors.sold_out", language, title=offer.title)
            else:
                message = t("cart.errors.only_left", language, count=available, title=offer.title)
            raise ValidationError(message, field="quantity", available=available)

    def add(
        self, db: Session, *, store_id: int, token: str, sku: Any, quantity: Any, language: str,
        new_token: bool = False,
    ) -> CartView:
        """Add ``quantity`` units of ``sku`` (to the line already there), at today's price,
        as long as stock lasts, and return the cart as it then is; ValidationError on ``sku``
        or ``quantity`` otherwise. ``new_token``: the token was made for this request, so no
        cart holds it yet and none is looked for (a shopper's first add).

        The hottest write of a shop (every shopper's first click makes a cart), so it is a few
        statements on the session's connection, not the ORM's unit of work: under SQLite's one
        writer, what a write costs in Python is what every other write waits. Written outside
        the session, it also leaves the page cache's copies alone: no shared page shows a cart.
        """
        if not self.valid_token(token):
            raise ValidationError("invalid cart token", field="token")
        amount = self._clean_quantity(quantity, language)
        # What is sold and how much is left is read before taking the database's writer: a
        # cart holds no stock (checkout reserves it), so a level a moment old is as good, and
        # every other cart change waits for this one only while it writes.
        offer = self._offer(db, store_id=store_id, sku=sku, language=language)
        available = inventory_service.available(db, store_id=store_id, skus=[offer.sku])[offer.sku]
        token_hash = self.hash_token(store_id=store_id, token=token)
        begin_write(db, durable=False)
        try:
            connection = db.connection()
            now = utcnow()
            cart_id, lines = self._open_rows(connection, store_id=store_id, token_hash=token_hash, now=now,
                                             expires_at=now + timedelta(days=config.expiry_days),
                                             new_token=new_token)
            line = next((ln for ln in lines if ln.sku == offer.sku), None)
            wanted = amount + (line.quantity if line else 0)
            if wanted > config.max_quantity_per_line:
                raise ValidationError(
                    t("cart.errors.quantity_range", language, low=1, high=config.max_quantity_per_line),
                    field="quantity",
                )
            self._refuse_beyond(available, offer=offer, quantity=wanted, language=language)
            title = _line_title(offer)
            connection.execute(_NEW_LINE if line is None else _SET_LINE, {
                "of_cart": cart_id, "of_sku": offer.sku, "quantity": wanted,
                "unit_price_cents": offer.unit_price_cents, "title": title, "now": now,
            })
            changed = LineView(offer.sku, title, wanted, offer.unit_price_cents)
            if line is None:
                lines.append(changed)
            else:
                lines[lines.index(line)] = changed
        except Exception:
            db.rollback()
            raise
        db.commit()
        return CartView(id=cart_id, lines=lines)

    @staticmethod
    def _open_rows(
        connection: Any, *, store_id: int, token_hash: str, now: datetime, expires_at: datetime,
        new_token: bool,
    ) -> tuple[int, list[LineView]]:
        """The id and lines of the token's open cart, now changed and to expire at
        ``expires_at`` (inside a write transaction). A cart that expired or was closed lets go
        of the token, and a new empty one is made, as for a ``new_token``."""
        found = None if new_token else connection.execute(_CART_OF_TOKEN, {"token_hash": token_hash}).first()
        if found is not None and found.status == "open" and found.expires_at > now:
            connection.execute(_TOUCH_CART, {"cart_id": found.id, "now": now, "expires_at": expires_at})
            lines = [LineView(*row) for row in connection.execute(_LINES_OF_CART, {"cart_id": found.id})]
            return found.id, lines
        if found is not None:
            connection.execute(_LET_GO, {"cart_id": found.id, "now": now})
        made = connection.execute(
            _NEW_CART, {"store_id": store_id, "token_hash": token_hash, "now": now, "expires_at": expires_at}
        )
        return made.scalar_one(), []

    def _line(self, db: Session, *, store_id: int, token: str, sku: Any) -> tuple[Cart, CartLine]:
        cart = self.find(db, store_id=store_id, token=token)
        line = next((ln for ln in cart.lines if ln.sku == str(sku)), None) if cart else None
        if cart is None or line is None:
            raise NotFoundError(f"no line {sku!r} in this cart")
        return cart, line

    def change_quantity(
        self, db: Session, *, store_id: int, token: str, sku: Any, quantity: Any, language: str
    ) -> Cart:
        """Set the units of a line (0 removes it), re-checking price and stock;
        NotFoundError when the cart has no such line."""
        amount = self._clean_quantity(quantity, language, allow_zero=True)
        begin_write(db, durable=False)
        try:
            cart, line = self._line(db, store_id=store_id, token=token, sku=sku)
            if amount == 0:
                cart.lines.remove(line)
            else:
                offer = self._offer(db, store_id=store_id, sku=line.sku, language=language)
                self._check_stock(db, store_id=store_id, offer=offer, quantity=amount, language=language)
                line.quantity = amount
                line.unit_price_cents = offer.unit_price_cents
                line.title = _line_title(offer)
            cart.updated_at = utcnow()
            cart.expires_at = utcnow() + timedelta(days=config.expiry_days)
        except Exception:
            db.rollback()
            raise
        db.commit()
        return cart

    def remove(self, db: Session, *, store_id: int, token: str, sku: Any) -> Cart:
        """Take a line out of the cart; NotFoundError when there is no such line."""
        begin_write(db, durable=False)
        try:
            cart, line = self._line(db, store_id=store_id, token=token, sku=sku)
            cart.lines.remove(line)
            cart.updated_at = utcnow()
        except Exception:
            db.rollback()
            raise
        db.commit()
        return cart

    def refresh(self, db: Session, *, cart: Cart | None, language: str) -> Refreshed:  # noqa: C901
        """Check every line's price and stock against today's; update the lines (drop what is
        gone or sold out, lower quantities to what is left, take the new price) and say what
        changed in ``language``. Commits only when something changed."""
        if cart is None or not cart.lines:
            return Refreshed(cart=cart)
        begin_write(db, durable=False)
        messages: list[str] = []
        try:
            stock = inventory_service.available(
                db, store_id=cart.store_id, skus=[ln.sku for ln in cart.lines]
            )
            for line in list(cart.lines):
                offer = find_offer(db, store_id=cart.store_id, sku=line.sku, language=language)
                if offer is None or not offer.published:
                    messages.append(t("cart.changes.gone", language, title=line.title))
                    cart.lines.remove(line)
                    continue
                title = _line_title(offer)
                if offer.unit_price_cents != line.unit_price_cents:
                    messages.append(
                        t(
                            "cart.changes.price",
                            language,
                            title=title,
                            old=format_money(line.unit_price_cents, language),
                            new=format_money(offer.unit_price_cents, language),
                        )
                    )
                    line.unit_price_cents = offer.unit_price_cents
                if line.title != title:
                    line.title = title
                available = stock.get(line.sku)
                if available is not None and line.quantity > available:
                    if available <= 0:
                        messages.append(t("cart.changes.sold_out", language, title=title))
                        cart.lines.remove(line)
                        continue
                    messages.append(t("cart.changes.fewer", language, count=available, title=title))
                    line.quantity = available
            if db.dirty or db.new or db.deleted:
                cart.updated_at = utcnow()
                db.commit()
            else:
                db.rollback()
        except Exception:
            db.rollback()
            raise
        return Refreshed(cart=cart, messages=messages)

    def merge_into_customer(
        self, db: Session, *, store_id: int, token: str | None, customer_id: int
    ) -> Cart | None:
        """On sign-in: the token's cart becomes the customer's. When the customer already has
        an open cart at the store, the token's lines are added to it (quantities capped by
        stock and the per-line maximum), the token's cart is deleted and the customer's cart
        takes over the token. Returns the customer's cart (None when neither exists)."""
        begin_write(db)
        try:
            anonymous = self.find(db, store_id=store_id, token=token)
            mine = self.for_customer(db, store_id=store_id, customer_id=customer_id)
            if anonymous is None or mine is None or mine.id == anonymous.id:
                cart = anonymous or mine
                if anonymous is not None:
                    anonymous.customer_id = customer_id
                    anonymous.updated_at = utcnow()
                db.commit()
                return cart
            skus = [ln.sku for ln in anonymous.lines]
            stock = inventory_service.available(db, store_id=store_id, skus=skus)
            for incoming in anonymous.lines:
                line = next((ln for ln in mine.lines if ln.sku == incoming.sku), None)
                wanted = incoming.quantity + (line.quantity if line else 0)
                wanted = min(wanted, config.max_quantity_per_line)
                available = stock.get(incoming.sku)
                if available is not None:
                    wanted = min(wanted, available)
                if wanted <= 0:
                    continue
                if line is None:
                    line = CartLine(sku=incoming.sku, quantity=0, unit_price_cents=0, title="")
                    mine.lines.append(line)
                line.quantity = wanted
                line.unit_price_cents = incoming.unit_price_cents
                line.title = incoming.title
            token_hash = anonymous.token_hash
            db.delete(anonymous)
            db.flush()
            mine.token_hash = token_hash
            now = utcnow()
            mine.updated_at = now
            mine.expires_at = now + timedelta(days=config.expiry_days)
        except Exception:
            db.rollback()
            raise
        db.commit()
        return mine

    def mark_converted(self, db: Session, *, store_id: int, cart_id: int) -> None:
        """After an order was placed from the cart: close it (its token then opens a new one).
        Does not commit, so checkout can make it part of the order's transaction."""
        db.execute(
            update(Cart)
            .where(Cart.id == cart_id, Cart.store_id == store_id)
            .values(status="converted", token_hash=None, updated_at=utcnow())
        )

    def expire_old(self, db: Session, *, now: datetime | None = None) -> int:
        """Mark open carts past their expiry abandoned (their lines are dropped); returns how many."""
        now = now or utcnow()
        begin_write(db)
        ids = list(
            db.scalars(select(Cart.id).where(Cart.status == "open", Cart.expires_at <= now))
        )
        if ids:
            db.execute(delete(CartLine).where(CartLine.cart_id.in_(ids)))
            db.execute(
                update(Cart)
                .where(Cart.id.in_(ids))
                .values(status="abandoned", token_hash=None, updated_at=now)
            )
        db.commit()
        return len(ids)

    # -- checkout reservations (checkout cannot import inventory; it comes through here) ------

    def reserve_for_checkout(
        self, db: Session, *, cart: Cart, reference: str, hold: timedelta
    ) -> list[int]:
        """Hold every line's units under ``reference``, all or nothing (commits).

        Idempotent per reference: a retry gets the first reservation back. Raises
        CartOutOfStockError naming the short SKUs (nothing reserved), and ReservationSpentError
        when the reference's earlier reservation was released or sold already."""
        from modules.cart.exceptions import CartOutOfStockError, ReservationSpentError
        from modules.inventory.exceptions import OutOfStockError

        try:
            ids = inventory_service.reserve(
                db,
                store_id=cart.store_id,
                lines=[(line.sku, line.quantity) for line in cart.lines],
                reference=reference,
                hold=hold,
            )
        except OutOfStockError as exc:
            raise CartOutOfStockError(exc.skus) from None
        held = inventory_service.reservations(db, reference=reference, store_id=cart.store_id)
        db.commit()
        if any(r.status != "held" for r in held):
            raise ReservationSpentError(f"reservation {reference!r} is no longer held")
        return ids

    def release_reservation(self, db: Session, *, store_id: int, reference: str) -> bool:
        """Give back what ``reference`` holds; False when it holds nothing (or was sold)."""
        from modules.inventory.exceptions import ReservationStateError

        try:
            return bool(inventory_service.release(db, reference=reference, store_id=store_id))
        except (NotFoundError, ReservationStateError):
            return False

    def commit_reservation(
        self, db: Session, *, store_id: int, reference: str, actor: str | None = None
    ) -> bool:
        """Turn what ``reference`` holds into a sale; False when it holds nothing (or was
        released, e.g. after its hold ran out)."""
        from modules.inventory.exceptions import ReservationStateError

        try:
            return bool(
                inventory_service.commit(db, reference=reference, store_id=store_id, actor=actor)
            )
        except (NotFoundError, ReservationStateError):
            return False

    def reservation_status(self, db: Session, *, store_id: int, reference: str) -> str | None:
        """``held``, ``released`` or ``committed`` for what ``reference`` reserved; None when
        it reserved nothing."""
        held = inventory_service.reservations(db, reference=reference, store_id=store_id)
        db.commit()
        statuses = {str(getattr(r.status, "value", r.status)) for r in held}
        for status in ("committed", "released", "held"):
            if status in statuses:
                return status
        return None


cart_service = CartService()
