"""Billing & Subscriptions: models."""

from modules.billing.models.add_on import StoreAddOn
from modules.billing.models.invoice import (
    InvoiceKind,
    InvoiceStatus,
    PlatformBillingProfile,
    SubscriptionInvoice,
)
from modules.billing.models.subscription import BillingCycle, StoreSubscription, SubscriptionStatus
from modules.billing.models.tiers import (
    ADD_ONS,
    FEATURE_MIN_TIER,
    LIMIT_KEYS,
    TIER_LIMITS,
    TRIAL_DAYS,
    TierCode,
    add_on_price,
    features_for,
    tier_has_feature,
    tier_rank,
    tier_summary,
)

__all__ = [
    "ADD_ONS",
    "BillingCycle",
    "InvoiceKind",
    "InvoiceStatus",
    "PlatformBillingProfile",
    "SubscriptionInvoice",
    "FEATURE_MIN_TIER",
    "LIMIT_KEYS",
    "TIER_LIMITS",
    "TRIAL_DAYS",
    "StoreAddOn",
    "StoreSubscription",
    "SubscriptionStatus",
    "TierCode",
    "add_on_price",
    "features_for",
    "tier_has_feature",
    "tier_rank",
    "tier_summary",
]
