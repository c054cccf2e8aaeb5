"""Background tasks of the Billing module (imported so huey registers them)."""

from modules.billing.tasks.subscriptions import run_subscription_round, subscription_round

__all__ = ["run_subscription_round", "subscription_round"]
