"""Each store's shipping methods: store pickup (free) and flat-rate delivery, free from a
subtotal on. A store without saved settings gets the defaults below."""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import suppress
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from modules.checkout.exceptions import Amount, CheckoutInputError, Problem
from modules.checkout.models import CheckoutSettings
from orion_server.database import begin_write, utcnow
from orion_server.i18n import t
from orion_server.money import (
    DEFAULT_VAT_RATE,
    VAT_RATES,
    MoneyError,
    format_money,
    parse_amount,
    percent_from_rate,
    rate_from_percent,
    vat_label,
)

PICKUP = "pickup"
DELIVERY = "delivery"
METHOD_CODES = (PICKUP, DELIVERY)
DEFAULTS: dict[str, Any] = {
    "pickup_enabled": True,
    "delivery_enabled": True,
    "delivery_price_cents": 590,
    "free_delivery_above_cents": 7500,
    "shipping_vat_rate": percent_from_rate(DEFAULT_VAT_RATE),
}
"""Settings of a store that saved none; ``shipping_vat_rate`` is kept in whole percent."""
MAX_PRICE_CENTS = 100_000
MAX_THRESHOLD_CENTS = 10_000_000


@dataclass(frozen=True)
class ShippingMethod:
    """One way to get the order, priced for a given subtotal."""

    code: str
    label: str
    description: str
    price_cents: int
    vat_rate: int
    """In whole percent (17), as the settings keep it."""
    needs_address: bool
    free_above_cents: int | None = None


class ShippingService:
    """Reading and saving a store's shipping settings, and pricing its methods."""

    def get(self, db: Session, *, store_id: int) -> CheckoutSettings:
        """The store's settings (an unsaved row holding the defaults when it has none)."""
        row = db.get(CheckoutSettings, store_id)
        return row if row is not None else CheckoutSettings(store_id=store_id, **DEFAULTS)

    def as_dict(self, row: CheckoutSettings) -> dict[str, Any]:
        """The settings as the API shows them."""
        return {name: getattr(row, name) for name in DEFAULTS}

    @staticmethod
    def _flag(value: Any, name: str, problems: list[Problem]) -> bool:
        if isinstance(value, bool):
            return value
        text = str(value if value is not None else "").strip().lower()
        if text in ("1", "true", "on", "yes"):
            return True
        if text in ("", "0", "false", "off", "no"):
            return False
        problems.append(Problem(name, "checkout.errors.flag"))
        return False

    @staticmethod
    def _cents(value: Any, name: str, maximum: int, problems: list[Problem],
               *, optional: bool = False) -> int | None:
        if optional and (value is None or (isinstance(value, str) and not value.strip())):
            return None
        cents = None
        if isinstance(value, int):  # the API takes cents, never euros typed as text
            with suppress(MoneyError):
                cents = parse_amount(value, maximum_cents=maximum)
        if cents is None:
            problems.append(Problem(name, "checkout.errors.amount_range", {"high": Amount(maximum)}))
        return cents

    def save(self, db: Session, *, store_id: int, values: Mapping[str, Any]) -> CheckoutSettings:
        """Replace the store's settings; CheckoutInputError names every bad field (with a
        translation key).

        ``values``: ``pickup_enabled``, ``delivery_enabled`` (at least one on),
        ``delivery_price_cents``, ``free_delivery_above_cents`` (None: never free) and
        ``shipping_vat_rate`` (a Luxembourg rate)."""
        problems: list[Problem] = []
        pickup = self._flag(values.get("pickup_enabled"), "pickup_enabled", problems)
        delivery = self._flag(values.get("delivery_enabled"), "delivery_enabled", problems)
        if not problems and not (pickup or delivery):
            problems.append(Problem("delivery_enabled", "checkout.errors.one_method"))
        price = self._cents(values.get("delivery_price_cents"), "delivery_price_cents",
                            MAX_PRICE_CENTS, problems)
        threshold = self._cents(values.get("free_delivery_above_cents"), "free_delivery_above_cents",
                                MAX_THRESHOLD_CENTS, problems, optional=True)
        rate = values.get("shipping_vat_rate")
        if isinstance(rate, bool) or not isinstance(rate, int) or rate_from_percent(rate) not in VAT_RATES:
            problems.append(Problem(
                "shipping_vat_rate", "checkout.errors.vat_rate",
                {"rates": ", ".join(vat_label(r) for r in VAT_RATES)},
            ))
        if problems:
            raise CheckoutInputError(problems)
        begin_write(db)
        row = db.get(CheckoutSettings, store_id)
        if row is None:
            row = CheckoutSettings(store_id=store_id)
            db.add(row)
        row.pickup_enabled = pickup
        row.delivery_enabled = delivery
        row.delivery_price_cents = price
        row.free_delivery_above_cents = threshold
        row.shipping_vat_rate = int(rate)
        row.updated_at = utcnow()
        db.commit()
        return row

    def methods(self, db: Session, *, store_id: int, subtotal_cents: int, language: str) -> list[ShippingMethod]:
        """The methods the store offers, priced for ``subtotal_cents`` (VAT included)."""
        row = self.get(db, store_id=store_id)
        result = []
        if row.pickup_enabled:
            result.append(
                ShippingMethod(
                    code=PICKUP,
                    label=t("checkout.shipping.pickup", language),
                    description=t("checkout.shipping.pickup_about", language),
                    price_cents=0,
                    vat_rate=row.shipping_vat_rate,
                    needs_address=False,
                )
            )
        if row.delivery_enabled:
            threshold = row.free_delivery_above_cents
            free = threshold is not None and subtotal_cents >= threshold
            if threshold is None:
                about = t("checkout.shipping.delivery_about", language)
            else:
                about = t("checkout.shipping.delivery_free_above", language,
                          amount=format_money(threshold, language))
            result.append(
                ShippingMethod(
                    code=DELIVERY,
                    label=t("checkout.shipping.delivery", language),
                    description=about,
                    price_cents=0 if free else row.delivery_price_cents,
                    vat_rate=row.shipping_vat_rate,
                    needs_address=True,
                    free_above_cents=threshold,
                )
            )
        return result


shipping_service = ShippingService()
