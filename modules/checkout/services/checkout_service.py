"""From cart to order: the checkout form, the quote with its VAT breakdown, and placing the order.

Placing is one idempotent step (``place``):

1. the form is checked (every bad field named with a translation key the route translates);
2. an order already placed with the same key is returned as it is (a double click, a retry);
3. the cart is checked against today's prices and stock: any change stops here, nothing placed;
4. the cart's units are reserved under a reference derived from the key (all or nothing);
5. the order is created with the store's next gap-free number (released again on failure);
6. the cart is closed, then the payment is started (its key derived from the order's).

The key the shopper sends is bound to their cart cookie: the order's idempotency key is a hash of
both, so the same click from the same browser finds its order and nobody else's. The stock
reservation is named after the order's key, so the order's status changes (``listeners``)
release it (cancelled, refunded) or turn it into a sale (shipped, delivered).
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from modules.cart.exceptions import CartOutOfStockError, ReservationSpentError
from modules.cart.models import Cart
from modules.cart.services import cart_service
from modules.checkout.config import config
from modules.checkout.exceptions import (
    CartChangedError,
    CheckoutInputError,
    EmptyCartError,
    KeySpentError,
    OrdersPausedError,
    OutOfStockError,
    PriceChangedError,
    Problem,
)
from modules.checkout.services.shipping_service import ShippingMethod, shipping_service
from modules.contracts.checkout_discounts import (
    CheckoutDiscountProvider,
    DiscountOffer,
    discount_providers,
)
from modules.contracts.checkout_payments import (
    NoCheckoutPaymentsError,
    PaymentMethodChoice,
    PaymentStartFailed,
    StartedPayment,
    checkout_payments,
)
from modules.contracts.product_catalog import find_offer
from modules.contracts.store_standing import standing_of
from modules.customers.exceptions import CustomerInputError
from modules.customers.models import Customer, CustomerAddress
from modules.customers.services import customer_service
from modules.customers.services.customer_service import country_codes
from modules.orders.models import Order
from modules.orders.services import order_service
from modules.orders.services.order_service import LineInput, Totals, compute_totals
from orion_server.config import SUPPORTED_LANGUAGES
from orion_server.database import begin_write
from orion_server.errors import NotFoundError, OrionError
from orion_server.i18n import t
from orion_server.models import Store
from orion_server.money import DEFAULT_VAT_RATE, VAT_RATES, format_money, percent_from_rate

logger = logging.getLogger(__name__)

KEY_PREFIX = "checkout-"
"""Start of the idempotency key of every order placed through checkout (and of its stock
reservation's reference)."""
KEY_PATTERN = re.compile(r"^[A-Za-z0-9_.:-]{8,64}$")
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
LIMITS = {"email": 255, "first_name": 100, "last_name": 100, "phone": 50,
          "name": 200, "street": 300, "postal_code": 20, "city": 100}
ADDRESS_PARTS = ("name", "street", "postal_code", "city", "country")
ACTOR = "checkout"


# -- what the shopper filled in -------------------------------------------------------------


@dataclass(frozen=True)
class CheckoutForm:
    """A checked checkout form."""

    email: str
    first_name: str
    last_name: str
    phone: str
    shipping: ShippingMethod
    payment_method: PaymentMethodChoice
    address: dict[str, str]
    """The shipping address for delivery, the billing address for pickup."""
    billing_address: dict[str, str] | None
    """A billing address other than ``address``; None when it is the same."""
    discounts: tuple[DiscountOffer, ...] = ()
    """The discounts the signed-in shopper chose among those offered (loyalty points)."""
    discount_providers: tuple[CheckoutDiscountProvider, ...] = ()
    """Who offered each of ``discounts`` (same order): placing the order asks them to hold it."""

    @property
    def discount_cents(self) -> int:
        return sum(offer.cents for offer in self.discounts)

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


@dataclass(frozen=True)
class Quote:
    """What the cart costs with a shipping method: lines, totals and VAT per rate."""

    lines: list[LineInput]
    totals: Totals
    shipping: ShippingMethod | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "lines": [
                {"sku": ln.sku, "title": ln.title, "quantity": ln.quantity,
                 "unit_price_cents": ln.unit_price_cents, "total_cents": ln.gross_cents,
                 "vat_rate": ln.vat_rate}
                for ln in self.lines
            ],
            "subtotal_cents": self.totals.subtotal_cents,
            "shipping_cents": self.totals.shipping_cents,
            "discount_cents": self.totals.discount_cents,
            "shipping_method": self.shipping.code if self.shipping else None,
            "total_cents": self.totals.total_cents,
            "vat_cents": self.totals.vat_cents,
            "vat": [
                {"rate": int(rate), "net_cents": row["net"], "vat_cents": row["vat"], "gross_cents": row["gross"]}
                for rate, row in self.totals.vat_breakdown.items()
            ],
            "currency": "EUR",
        }


@dataclass
class Placed:
    """The outcome of ``place``: the order, whether this call created it, and its payment."""

    order: Order
    created: bool
    payment: StartedPayment | None = None
    payment_error: str = ""
    messages: list[str] = field(default_factory=list)


def _text(raw: Mapping[str, Any], name: str, problems: list[Problem],
          *, key: str | None = None, required: bool = False) -> str:
    """A trimmed text field; a problem when required and empty, or too long."""
    value = raw.get(name)
    text = "" if value is None or isinstance(value, bool | dict | list) else str(value).strip()
    limit = LIMITS[key or name]
    if required and not text:
        problems.append(Problem(name, "checkout.errors.required"))
    elif len(text) > limit:
        problems.append(Problem(name, "checkout.errors.too_long", {"max": limit}))
    return text


def _address(raw: Any, prefix: str, problems: list[Problem]) -> dict[str, str]:
    """An address from ``raw`` (a mapping), every part checked; problems on ``prefix.part``."""
    raw = raw if isinstance(raw, Mapping) else {}
    values = {f"{prefix}.{part}": raw.get(part) for part in ADDRESS_PARTS}
    address = {
        part: _text(values, f"{prefix}.{part}", problems, key=part, required=True)
        for part in ("name", "street", "postal_code", "city")
    }
    country = str(raw.get("country") or "LU").strip().upper()
    if country not in country_codes():
        problems.append(Problem(f"{prefix}.country", "checkout.errors.country"))
    address["country"] = country
    return address


def _keys(value: Any) -> list[str]:
    """The chosen discounts: a list of keys, or keys separated by commas (a form)."""
    items = value if isinstance(value, list | tuple) else str(value or "").split(",")
    keys = []
    for item in items:
        key = str(item).strip()[:60]
        if key and key not in keys:
            keys.append(key)
    return keys[:10]


def _truthy(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    return str(value or "").strip().lower() in ("1", "true", "on", "yes")


def saved_address(address: CustomerAddress) -> dict[str, str]:
    """A customer's saved address as an order keeps it."""
    return {"name": address.name, "street": address.street, "postal_code": address.postal_code,
            "city": address.city, "country": address.country}


class CheckoutService:
    """The checkout of one store's cart."""

    # -- options and prices ---------------------------------------------------------------

    @staticmethod
    def payment_methods(db: Session, *, store_id: int, language: str) -> list[PaymentMethodChoice]:
        """The payment methods the store offers now (none when no payments are installed)."""
        try:
            provider = checkout_payments(db, store_id=store_id)
        except NoCheckoutPaymentsError:
            return []
        return provider.methods(db, store_id=store_id, language=language)

    @staticmethod
    def shipping_methods(db: Session, *, store_id: int, cart: Cart | None, language: str) -> list[ShippingMethod]:
        """The store's shipping methods priced for the cart's subtotal."""
        subtotal = cart_service.totals(cart).subtotal_cents
        return shipping_service.methods(db, store_id=store_id, subtotal_cents=subtotal, language=language)

    @staticmethod
    def lines(db: Session, *, cart: Cart, language: str) -> list[LineInput]:
        """The cart's lines as order lines, each with its product's VAT rate."""
        result = []
        for line in cart.lines:
            offer = find_offer(db, store_id=cart.store_id, sku=line.sku, language=language)
            rate = offer.vat_rate if offer is not None and offer.vat_rate in VAT_RATES else DEFAULT_VAT_RATE
            result.append(
                LineInput(
                    sku=line.sku,
                    title=line.title,
                    quantity=line.quantity,
                    unit_price_cents=line.unit_price_cents,
                    vat_rate=percent_from_rate(rate),  # orders keep whole percents
                    options=dict(offer.options) if offer is not None else {},
                )
            )
        return result

    def quote(self, db: Session, *, cart: Cart, shipping: ShippingMethod | None, language: str,
              discount_cents: int = 0) -> Quote:
        """The cart's totals with ``shipping`` (None: without shipping yet) and a discount (the
        chosen ``discounts`` of a form), split over the VAT rates by the orders' rule."""
        lines = self.lines(db, cart=cart, language=language)
        totals = compute_totals(
            lines,
            shipping_cents=shipping.price_cents if shipping else 0,
            shipping_vat_rate=shipping.vat_rate if shipping else percent_from_rate(DEFAULT_VAT_RATE),
            discount_cents=discount_cents,
        )
        return Quote(lines=lines, totals=totals, shipping=shipping)

    @staticmethod
    def discount_offers(db: Session, *, store_id: int, cart: Cart | None, customer: Customer | None,
                        language: str) -> list[tuple[DiscountOffer, CheckoutDiscountProvider]]:
        """What the signed-in shopper may take off this cart (none for guests), with who offers it."""
        if customer is None or cart is None or not cart.lines:
            return []
        platform_id = db.scalar(select(Store.platform_id).where(Store.id == store_id))
        goods = cart_service.totals(cart).subtotal_cents
        found = []
        for provider in discount_providers(db, platform_id=platform_id):
            for offer in provider.offers(db, store_id=store_id, customer_id=customer.id, goods_cents=goods,
                                         language=language):
                found.append((offer, provider))
        return found

    # -- the form -------------------------------------------------------------------------

    def clean_form(
        self,
        db: Session,
        *,
        store_id: int,
        raw: Mapping[str, Any],
        cart: Cart | None,
        customer: Customer | None,
        language: str,
    ) -> CheckoutForm:
        """Check every field of a checkout form; CheckoutInputError names each bad one (with a
        translation key). ``language`` is the one the chosen methods' labels are written in.

        ``raw``: ``email``, ``first_name``, ``last_name``, ``phone``, ``shipping_method``,
        ``payment_method``, ``address`` (``name``, ``street``, ``postal_code``, ``city``,
        ``country``) or, for a signed-in customer, ``address_id`` of a saved address,
        ``billing_same`` and, when it is false, ``billing_address``."""
        problems: list[Problem] = []
        email = _text(raw, "email", problems, required=True).lower()
        if email and not problems and not EMAIL_PATTERN.match(email):
            problems.append(Problem("email", "checkout.errors.email"))
        first = _text(raw, "first_name", problems, required=True)
        last = _text(raw, "last_name", problems, required=True)
        phone = _text(raw, "phone", problems)

        methods = {m.code: m for m in self.shipping_methods(db, store_id=store_id, cart=cart, language=language)}
        shipping = methods.get(str(raw.get("shipping_method") or ""))
        if shipping is None:
            problems.append(Problem("shipping_method", "checkout.errors.shipping_method"))
        payments = {p.code: p for p in self.payment_methods(db, store_id=store_id, language=language)}
        payment = payments.get(str(raw.get("payment_method") or ""))
        if payment is None:
            problems.append(Problem(
                "payment_method",
                "checkout.errors.payment_method" if payments else "checkout.errors.no_payment_methods",
            ))

        address: dict[str, str] = {}
        address_id = str(raw.get("address_id") or "").strip()
        if address_id and address_id != "new":
            saved = None
            if customer is not None and address_id.isdigit():
                saved = next((a for a in customer.addresses if a.id == int(address_id)), None)
            if saved is None:
                problems.append(Problem("address_id", "checkout.errors.address_id"))
            else:
                address = saved_address(saved)
        else:
            address = _address(raw.get("address"), "address", problems)
        billing = None
        if not _truthy(raw.get("billing_same", True)):
            billing = _address(raw.get("billing_address"), "billing_address", problems)
        chosen = _keys(raw.get("discounts"))
        discounts: list[tuple[DiscountOffer, CheckoutDiscountProvider]] = []
        if chosen:
            offered = {offer.key: (offer, provider) for offer, provider in self.discount_offers(
                db, store_id=store_id, cart=cart, customer=customer, language=language)}
            if not set(chosen) <= set(offered):
                problems.append(Problem("discounts", "checkout.errors.discount_unknown"))
            discounts = [offered[key] for key in chosen if key in offered]
        if problems:
            raise CheckoutInputError(problems)
        return CheckoutForm(
            email=email, first_name=first, last_name=last, phone=phone, shipping=shipping,  # type: ignore[arg-type]
            payment_method=payment, address=address, billing_address=billing,  # type: ignore[arg-type]
            discounts=tuple(offer for offer, _provider in discounts),
            discount_providers=tuple(provider for _offer, provider in discounts),
        )

    @staticmethod
    def clean_key(key: Any) -> str:
        """The shopper's idempotency key: 8 to 64 letters, digits or ``_.:-``."""
        text = str(key or "").strip()
        if not KEY_PATTERN.match(text):
            raise CheckoutInputError([Problem("idempotency_key", "checkout.errors.idempotency_key")])
        return text

    @staticmethod
    def order_key(*, store_id: int, cart_token: str, key: str) -> str:
        """The order's idempotency key (and its reservation's reference): the shopper's key
        bound to their cart cookie, so one browser's retries find one order and only theirs."""
        digest = hashlib.sha256(f"{store_id}:{cart_token}:{key}".encode()).hexdigest()
        return KEY_PREFIX + digest[:48]

    # -- placing --------------------------------------------------------------------------

    def place(
        self,
        db: Session,
        *,
        store_id: int,
        cart_token: str | None,
        raw: Mapping[str, Any],
        key: Any,
        customer: Customer | None,
        language: str,
        expected_total_cents: int | None = None,
        site_root: str = "",
    ) -> Placed:
        """Place the order of the cart of ``cart_token`` (see the module's docstring).

        ``language`` is the shopper's: the order's, its options' labels and the conflicts'
        messages are in it. Raises CheckoutInputError (422, translation keys) for bad fields, and a CheckoutConflictError (409) when
        the cart is empty (EmptyCartError), changed (CartChangedError), costs other than
        ``expected_total_cents`` (PriceChangedError) or cannot be served (OutOfStockError);
        nothing is placed then; OrdersPausedError (409) when the store takes no orders now (a
        store read-only for an unpaid subscription, where its platform chose so). A payment that cannot be started leaves the order pending
        payment, with ``payment_error`` saying so."""
        language = language if language in SUPPORTED_LANGUAGES else "fr"
        key = self.clean_key(key)
        if cart_token:  # a retry finds its order first, whatever has changed since (points spent)
            order_key = self.order_key(store_id=store_id, cart_token=cart_token, key=key)
            existing = self._existing(db, store_id=store_id, order_key=order_key, language=language,
                                      site_root=site_root)
            if existing is not None:
                return existing
        cart = cart_service.find(db, store_id=store_id, token=cart_token)
        form = self.clean_form(db, store_id=store_id, raw=raw, cart=cart, customer=customer, language=language)
        if not cart_token:
            raise EmptyCartError(t("checkout.errors.cart_empty", language))

        if cart is None or not cart.lines:
            return self._or_existing(db, store_id, order_key, language, site_root,
                                     EmptyCartError(t("checkout.errors.cart_empty", language)))
        if not standing_of(db, store_id=store_id).accepts_orders:
            raise OrdersPausedError(t("checkout.errors.orders_paused", language))
        before = {ln.sku: (ln.quantity, ln.title) for ln in cart.lines}
        refreshed = cart_service.refresh(db, cart=cart, language=language)
        if refreshed.messages:
            after = {ln.sku: ln.quantity for ln in cart.lines}
            short = [sku for sku, (quantity, _title) in before.items() if after.get(sku, 0) < quantity]
            error: Exception
            if short:
                error = self._out_of_stock(short, {sku: title for sku, (_q, title) in before.items()},
                                           language, changes=refreshed.messages)
            else:
                error = CartChangedError(t("checkout.errors.cart_changed", language),
                                         errors=[{"message": m} for m in refreshed.messages])
            return self._or_existing(db, store_id, order_key, language, site_root, error)
        if not cart.lines:
            raise EmptyCartError(t("checkout.errors.cart_empty", language))
        quote = self.quote(db, cart=cart, shipping=form.shipping, language=language,
                           discount_cents=form.discount_cents)
        if expected_total_cents is not None and expected_total_cents != quote.totals.total_cents:
            raise PriceChangedError(
                t("checkout.errors.price_changed", language,
                  old=format_money(expected_total_cents, language),
                  new=format_money(quote.totals.total_cents, language)),
                expected_total_cents=expected_total_cents,
                total_cents=quote.totals.total_cents,
            )
        customer_id = customer.id if customer is not None else self._guest(db, store_id, form, language)

        try:
            cart_service.reserve_for_checkout(
                db, cart=cart, reference=order_key, hold=timedelta(days=config.reservation_hold_days)
            )
        except CartOutOfStockError as exc:
            raise self._out_of_stock(exc.skus, {ln.sku: ln.title for ln in cart.lines}, language) from None
        except ReservationSpentError:
            return self._or_existing(db, store_id, order_key, language, site_root,
                                     KeySpentError(t("checkout.errors.key_spent", language)))

        try:
            held = self._hold_discounts(db, store_id=store_id, customer=customer, form=form, order_key=order_key)
        except CheckoutInputError:
            cart_service.release_reservation(db, store_id=store_id, reference=order_key)
            raise
        try:
            placed = order_service.place_order(
                db,
                store_id=store_id,
                lines=quote.lines,
                customer={"id": customer_id, "email": form.email, "name": form.name,
                          "phone": form.phone, "language": language,
                          # a guest order joins the account only once the address owner confirms
                          "signed_in": customer is not None},
                addresses={
                    "shipping": form.address if form.shipping.needs_address else None,
                    "billing": form.billing_address or form.address,
                },
                shipping={"code": form.shipping.code, "label": form.shipping.label,
                          "price_cents": form.shipping.price_cents, "vat_rate": form.shipping.vat_rate},
                payment_method=form.payment_method.code,
                discount_cents=form.discount_cents,
                idempotency_key=order_key,
                actor=ACTOR,
            )
        except Exception:
            db.rollback()
            # Give the units (and what paid the discounts) back unless a racing twin of this
            # request placed the order.
            if order_service.find_by_idempotency_key(db, store_id=store_id, key=order_key) is None:
                cart_service.release_reservation(db, store_id=store_id, reference=order_key)
                self._release_discounts(db, store_id=store_id, held=held, order_key=order_key)
            raise
        begin_write(db)
        cart_service.mark_converted(db, store_id=store_id, cart_id=cart.id)
        db.commit()
        return self._with_payment(db, placed.order, placed.created, language, site_root)

    def _hold_discounts(self, db: Session, *, store_id: int, customer: Customer | None, form: CheckoutForm,
                        order_key: str) -> list[CheckoutDiscountProvider]:
        """Have each chosen discount's module take what pays for it; if one cannot, give back
        what the others took and refuse (the shopper looks at the order again)."""
        if not form.discounts or customer is None:
            return []
        held: list[CheckoutDiscountProvider] = []
        for offer, provider in zip(form.discounts, form.discount_providers, strict=True):
            try:
                provider.hold(db, store_id=store_id, customer_id=customer.id, key=offer.key, cents=offer.cents,
                              reference=order_key)
            except OrionError:
                db.rollback()
                self._release_discounts(db, store_id=store_id, held=held, order_key=order_key)
                raise CheckoutInputError([Problem("discounts", "checkout.errors.discount_unknown")]) from None
            held.append(provider)
        return held

    @staticmethod
    def _release_discounts(db: Session, *, store_id: int, held: list[CheckoutDiscountProvider],
                           order_key: str) -> None:
        for provider in held:
            try:
                provider.release(db, store_id=store_id, reference=order_key)
            except Exception:
                db.rollback()
                logger.exception("a discount could not be given back for %s", order_key)

    @staticmethod
    def _out_of_stock(skus: list[str], titles: dict[str, str], language: str,
                      changes: list[str] | None = None) -> OutOfStockError:
        """The error naming the products short of stock (``changes``: what the cart check did)."""
        names = [titles.get(sku, sku) for sku in skus]
        return OutOfStockError(
            t("checkout.errors.out_of_stock", language, products=", ".join(names)),
            errors=[{"sku": sku, "title": titles.get(sku, sku),
                     "message": t("checkout.errors.out_of_stock_one", language, title=titles.get(sku, sku))}
                    for sku in skus],
            changes=list(changes or []),
        )

    def _existing(self, db: Session, *, store_id: int, order_key: str, language: str, site_root: str) -> Placed | None:
        order = order_service.find_by_idempotency_key(db, store_id=store_id, key=order_key)
        if order is None:
            return None
        return self._with_payment(db, order, False, language, site_root)

    def _or_existing(self, db: Session, store_id: int, order_key: str, language: str,
                     site_root: str, error: Exception) -> Placed:
        """The order a racing twin of this request placed meanwhile, else ``error`` raised."""
        db.rollback()
        found = self._existing(db, store_id=store_id, order_key=order_key, language=language, site_root=site_root)
        if found is None:
            raise error
        return found

    @staticmethod
    def _guest(db: Session, store_id: int, form: CheckoutForm, language: str) -> int:
        """The id of the store's customer with the form's e-mail, made as a guest if new."""
        fields = {"store_id": store_id, "email": form.email, "first_name": form.first_name,
                  "last_name": form.last_name, "phone": form.phone, "preferred_language": language}
        try:
            guest = customer_service.get_or_create_guest(db, **fields)
        except CustomerInputError as exc:
            db.rollback()
            if not any(problem.field == "email" for problem in exc.problems):
                raise CheckoutInputError(exc.problems) from None
            guest = customer_service.get_or_create_guest(db, **fields)  # made by a racing request
        guest_id = guest.id
        db.commit()
        return guest_id

    # -- paying ---------------------------------------------------------------------------

    def _with_payment(self, db: Session, order: Order, created: bool, language: str, site_root: str) -> Placed:
        """``order`` with its latest payment, started now when it has none yet."""
        payments = self.payments(db, order=order, language=language)
        if payments:
            return Placed(order=order, created=created, payment=payments[-1])
        payment, error = self._start_payment(db, order, attempt=1, language=language, site_root=site_root)
        return Placed(order=order, created=created, payment=payment, payment_error=error)

    @staticmethod
    def confirmation_path(order: Order) -> str:
        """The order's confirmation page, relative to the storefront root (with its token)."""
        return f"checkout/done/{order.number}?token={order_service.status_token(order)}"

    def _start_payment(self, db: Session, order: Order, *, attempt: int, language: str,
                       site_root: str) -> tuple[StartedPayment | None, str]:
        if order.total_cents <= 0:
            return None, ""
        # Online payments bring the shopper back to the confirmation page.
        return_url = site_root + self.confirmation_path(order) if site_root else ""
        try:
            payment = checkout_payments(db, store_id=order.store_id).start(
                db,
                store_id=order.store_id,
                method=order.payment_method_code,
                amount_cents=order.total_cents,
                reference=order.number,
                idempotency_key=f"{order.idempotency_key or order.number}:pay:{attempt}",
                customer_email=order.customer_email,
                description=t("checkout.payment.description", language, number=order.number),
                return_url=return_url,
                cancel_url=return_url,
                language=language,
            )
        except (PaymentStartFailed, NoCheckoutPaymentsError) as exc:
            logger.warning("payment of order %s could not be started: %s", order.number, exc)
            return None, t("checkout.errors.payment_failed", language)
        if payment.status == "failed":
            return payment, t("checkout.errors.payment_failed", language)
        return payment, ""

    @staticmethod
    def payments(db: Session, *, order: Order, language: str) -> list[StartedPayment]:
        """The payments of ``order``, oldest first."""
        try:
            provider = checkout_payments(db, store_id=order.store_id)
        except NoCheckoutPaymentsError:
            return []
        return provider.payments_for(db, store_id=order.store_id, reference=order.number, language=language)

    @staticmethod
    def settle_returned(db: Session, *, order: Order, language: str) -> None:
        """The shopper is back on the confirmation page from the provider: what they approved
        there is settled now (a PayPal capture, never twice), not only when the webhook comes."""
        if order.status != "pending_payment":
            return
        try:
            provider = checkout_payments(db, store_id=order.store_id)
        except NoCheckoutPaymentsError:
            return
        provider.settle_returned(db, store_id=order.store_id, reference=order.number, language=language)

    def retry_payment(self, db: Session, *, order: Order, language: str, site_root: str = "") -> Placed:
        """Start the order's payment again when it is unpaid and its last attempt failed
        (or none was made); otherwise the order with its current payment."""
        payments = self.payments(db, order=order, language=language)
        if order.status != "pending_payment" or (payments and payments[-1].status != "failed"):
            return Placed(order=order, created=False, payment=payments[-1] if payments else None)
        payment, error = self._start_payment(
            db, order, attempt=len(payments) + 1, language=language, site_root=site_root
        )
        return Placed(order=order, created=False, payment=payment, payment_error=error)

    @staticmethod
    def confirmation_order(db: Session, *, store_id: int, number: str, token: str | None) -> Order:
        """The order a confirmation link names, when its token is right (NotFoundError otherwise)."""
        order = order_service.check_status_token(db, store_id=store_id, number=number, token=token)
        if not (order.idempotency_key or "").startswith(KEY_PREFIX):
            raise NotFoundError(f"no checkout order {number}")
        return order


checkout_service = CheckoutService()
