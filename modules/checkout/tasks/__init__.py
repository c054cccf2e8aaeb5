"""Background tasks of the Checkout module (imported so huey registers them)."""

from modules.checkout.tasks.unpaid import run_unpaid_orders, unpaid_orders

__all__ = ["run_unpaid_orders", "unpaid_orders"]
