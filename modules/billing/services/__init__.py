"""Billing & Subscriptions: services."""

from modules.billing.services.invoicing import InvoicingService, invoicing_service
from modules.billing.services.plans import PlanService, plan_service
from modules.billing.services.standing import StandingService, standing_service
from modules.billing.services.subscription_service import SubscriptionService, subscription_service
from modules.billing.services.usage import LimitUsage, plan_usage

__all__ = [
    "InvoicingService",
    "LimitUsage",
    "PlanService",
    "StandingService",
    "SubscriptionService",
    "invoicing_service",
    "plan_service",
    "plan_usage",
    "standing_service",
    "subscription_service",
]
