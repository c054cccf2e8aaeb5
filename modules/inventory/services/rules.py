"""Inventory's limits and the checks of what staff and other modules pass in: SKUs,
quantities, thresholds, reasons, references and notes."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from modules.inventory.exceptions import StockInputError
from modules.inventory.models import MovementReason

DEFAULT_LOCATION = "main"
MAX_SKU = 100
MAX_REFERENCE = 100
MAX_NOTE = 500
MAX_ACTOR = 255
MAX_QUANTITY = 1_000_000
DEFAULT_HOLD = timedelta(minutes=30)
"""How long a reservation is held before ``release_expired`` gives its units back."""
MANUAL_REASONS = (
    MovementReason.RECEIPT,
    MovementReason.ADJUSTMENT,
    MovementReason.RETURN,
    MovementReason.CORRECTION,
)
"""Reasons staff may give; ``sale`` movements come only from committed reservations."""


class StockInput:
    """The checks of what staff and other modules pass in: SKUs, quantities, thresholds,
    reasons, references and notes."""

    @staticmethod
    def clean_sku(sku: Any, field: str = "sku") -> str:
        """The SKU stripped; StockInputError when empty, too long or holding ``/`` or control
        characters (SKUs appear in URLs)."""
        if not isinstance(sku, str) or not sku.strip():
            raise StockInputError(field, "inventory.errors.sku_required")
        sku = sku.strip()
        if len(sku) > MAX_SKU:
            raise StockInputError(field, "inventory.errors.sku_too_long", max=MAX_SKU)
        if "/" in sku or any(ord(ch) < 32 or ord(ch) == 127 for ch in sku):
            raise StockInputError(field, "inventory.errors.sku_invalid")
        return sku

    @staticmethod
    def clean_quantity(quantity: Any, *, positive: bool = False, field: str = "quantity") -> int:
        """A whole number within ±MAX_QUANTITY, never zero (and above zero when ``positive``)."""
        if isinstance(quantity, str):
            try:
                quantity = int(quantity.strip())
            except ValueError:
                raise StockInputError(field, "inventory.errors.quantity_not_number") from None
        if isinstance(quantity, bool) or not isinstance(quantity, int):
            raise StockInputError(field, "inventory.errors.quantity_not_number")
        if abs(quantity) > MAX_QUANTITY:
            raise StockInputError(field, "inventory.errors.quantity_too_large", max=MAX_QUANTITY)
        if quantity == 0:
            raise StockInputError(field, "inventory.errors.quantity_zero")
        if positive and quantity < 0:
            raise StockInputError(field, "inventory.errors.quantity_positive")
        return quantity

    @staticmethod
    def clean_threshold(threshold: Any) -> int | None:
        """None (no alert) or a whole number from 0 to MAX_QUANTITY."""
        if threshold is None or (isinstance(threshold, str) and not threshold.strip()):
            return None
        if isinstance(threshold, str):
            try:
                threshold = int(threshold.strip())
            except ValueError:
                raise StockInputError("threshold", "inventory.errors.threshold_invalid") from None
        if isinstance(threshold, bool) or not isinstance(threshold, int):
            raise StockInputError("threshold", "inventory.errors.threshold_invalid")
        if not 0 <= threshold <= MAX_QUANTITY:
            raise StockInputError("threshold", "inventory.errors.threshold_invalid")
        return threshold

    @staticmethod
    def clean_reason(reason: Any) -> MovementReason:
        """One of the reasons staff may give."""
        try:
            value = MovementReason(reason)
        except ValueError:
            value = None
        if value not in MANUAL_REASONS:
            raise StockInputError("reason", "inventory.errors.reason_invalid")
        return value  # type: ignore[return-value]

    @staticmethod
    def _clean_reference(reference: Any, *, required: bool) -> str | None:
        if reference is None or (isinstance(reference, str) and not reference.strip()):
            if required:
                raise StockInputError("reference", "inventory.errors.reference_required")
            return None
        if not isinstance(reference, str):
            raise StockInputError("reference", "inventory.errors.reference_required")
        reference = reference.strip()
        if len(reference) > MAX_REFERENCE:
            raise StockInputError("reference", "inventory.errors.reference_too_long", max=MAX_REFERENCE)
        return reference

    @staticmethod
    def _clean_note(note: Any) -> str | None:
        if note is None:
            return None
        note = str(note).strip()
        if len(note) > MAX_NOTE:
            raise StockInputError("note", "inventory.errors.note_too_long", max=MAX_NOTE)
        return note or None
