"""Subscription tiers: prices, limits and the features each unlocks (constants, no table).

Prices are integer cents in EUR; ``None`` as a limit means unlimited. Annual prices are two
months free (10 × the monthly price). Enterprise starts at its monthly price and is quoted
per customer.
"""

from __future__ import annotations

import enum
from typing import Any


class TierCode(enum.StrEnum):
    """The subscription tiers, cheapest first."""

    ESSENTIAL = "essential"
    PROFESSIONAL = "professional"
    BUSINESS = "business"
    ENTERPRISE = "enterprise"


TRIAL_DAYS = 30
"""Length of the free trial every new store starts with."""

LIMIT_KEYS = ("orders_per_month", "products", "staff_users")
"""The limits every tier defines (None = unlimited)."""

TIER_LIMITS: dict[TierCode, dict[str, Any]] = {
    TierCode.ESSENTIAL: {
        "name": "Essential",
        "price_monthly_cents": 4_900,
        "price_annual_cents": 49_000,
        "custom_pricing": False,
        "orders_per_month": 100,
        "products": 200,
        "staff_users": 1,
    },
    TierCode.PROFESSIONAL: {
        "name": "Professional",
        "price_monthly_cents": 9_900,
        "price_annual_cents": 99_000,
        "custom_pricing": False,
        "orders_per_month": 500,
        "products": None,
        "staff_users": 3,
    },
    TierCode.BUSINESS: {
        "name": "Business",
        "price_monthly_cents": 19_900,
        "price_annual_cents": 199_000,
        "custom_pricing": False,
        "orders_per_month": 2_000,
        "products": None,
        "staff_users": 10,
    },
    TierCode.ENTERPRISE: {
        "name": "Enterprise",
        "price_monthly_cents": 39_900,
        "price_annual_cents": None,
        "custom_pricing": True,
        "orders_per_month": None,
        "products": None,
        "staff_users": None,
    },
}

FEATURE_MIN_TIER: dict[str, TierCode] = {
    "basic_analytics": TierCode.ESSENTIAL,
    "analytics_dashboard": TierCode.PROFESSIONAL,
    "advanced_analytics": TierCode.BUSINESS,
    "custom_reports": TierCode.ENTERPRISE,
}
"""Each feature and the cheapest tier that includes it (higher tiers include it too)."""

ADD_ONS: dict[str, dict[str, Any]] = {
    "custom_domain": {"price_monthly_cents": 500, "max_quantity": 1},
    "premium_ssl": {"price_monthly_cents": 900, "max_quantity": 1},
    "email_mailboxes": {"price_monthly_cents": 300, "max_quantity": 50},
}
"""Extras bought on top of any paid plan: the net price of one per month (an annual plan pays
ten months a year, as for the tiers) and how many a store may have."""


def add_on_price(code: str, cycle: str, quantity: int = 1) -> int:
    """The net price of ``quantity`` of an add-on for one period of ``cycle``."""
    monthly = ADD_ONS[code]["price_monthly_cents"] * quantity
    return monthly * 10 if cycle == "annual" else monthly


def tier_rank(tier: TierCode | str) -> int:
    """0 for the cheapest tier, growing with the price."""
    return list(TierCode).index(TierCode(tier))


def lifted_by(tier: TierCode | str, key: str) -> str | None:
    """The name of the cheapest tier above ``tier`` whose ``key`` limit is higher."""
    current = TIER_LIMITS[TierCode(tier)].get(key)
    if current is None:
        return None
    for higher in list(TierCode)[tier_rank(tier) + 1:]:
        allowed = TIER_LIMITS[higher].get(key)
        if allowed is None or allowed > current:
            return TIER_LIMITS[higher]["name"]
    return None


def features_for(tier: TierCode | str) -> list[str]:
    """Every feature the tier includes, in the order they unlock."""
    rank = tier_rank(tier)
    return [feature for feature, minimum in FEATURE_MIN_TIER.items() if tier_rank(minimum) <= rank]


def tier_has_feature(tier: TierCode | str, feature: str) -> bool:
    """Whether ``tier`` includes ``feature`` (unknown features are never included)."""
    minimum = FEATURE_MIN_TIER.get(feature)
    return minimum is not None and tier_rank(tier) >= tier_rank(minimum)


def tier_summary(tier: TierCode | str) -> dict[str, Any]:
    """A tier as templates and APIs use it: code, name, prices, limits and features."""
    code = TierCode(tier)
    data = TIER_LIMITS[code]
    return {
        "code": code.value,
        "name": data["name"],
        "price_monthly_cents": data["price_monthly_cents"],
        "price_annual_cents": data["price_annual_cents"],
        "custom_pricing": data["custom_pricing"],
        "limits": {key: data[key] for key in LIMIT_KEYS},
        "features": features_for(code),
    }
