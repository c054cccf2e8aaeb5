"""Orders: request and response schemas of the store API."""

from modules.orders.schemas.store import (
    NoteCreate,
    NoteOut,
    OrderLineOut,
    OrderOut,
    OrderPageOut,
    OrderSummaryOut,
    StatusChange,
    StatusChangeOut,
    VatRowOut,
)

__all__ = [
    "NoteCreate",
    "NoteOut",
    "OrderLineOut",
    "OrderOut",
    "OrderPageOut",
    "OrderSummaryOut",
    "StatusChange",
    "StatusChangeOut",
    "VatRowOut",
]
