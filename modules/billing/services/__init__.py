"""Billing & Subscriptions: services."""

from modules.billing.services.subscription_service import SubscriptionService, subscription_service

__all__ = ["SubscriptionService", "subscription_service"]
