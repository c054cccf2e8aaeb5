"""Background tasks of the Inventory module (imported so huey registers them)."""

from modules.inventory.tasks.reservations import release_expired_reservations, run_release_expired

__all__ = ["release_expired_reservations", "run_release_expired"]
