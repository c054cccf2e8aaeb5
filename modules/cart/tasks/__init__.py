"""Background tasks of the Cart module (imported so huey registers them)."""

from modules.cart.tasks.expiry import expire_carts, run_expire_carts

__all__ = ["expire_carts", "run_expire_carts"]
