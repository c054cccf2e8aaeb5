"""Billing & Subscriptions: services."""

from modules.billing.services.subscription_service import SubscriptionService, subscription_service
from modules.billing.services.usage import LimitUsage, plan_usage

__all__ = ["LimitUsage", "SubscriptionService", "plan_usage", "subscription_service"]
