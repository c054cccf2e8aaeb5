"""Requests and responses of the inventory store API.

The schemas check shapes and sizes; the stock rules (never below zero, never below what is
reserved) are the service's, so the API and the dashboard apply the same ones.
"""

from __future__ import annotations

from datetime import datetime
from typing import Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")

Reason = Literal["receipt", "adjustment", "return", "correction"]


class AdjustRequest(BaseModel):
    """A change of an item's stock: ``quantity`` units added (positive) or removed (negative)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    quantity: int = Field(ge=-1_000_000, le=1_000_000, description="Units to add (or remove, negative); not 0.")
    reason: Reason = Field(description="Why the stock changes.")
    note: str | None = Field(default=None, max_length=500, description="A remark kept in the ledger.")
    location: str = Field(default="main", min_length=1, max_length=50, description="Location code.")
    reference: str | None = Field(default=None, max_length=100, description="A delivery note or order number.")


class ItemOut(BaseModel):
    """The stock of one SKU at one location."""

    id: int
    sku: str
    location: str
    on_hand: int
    reserved: int
    available: int | None = Field(description="on_hand - reserved; null for unlimited items.")
    unlimited: bool
    low_stock_threshold: int | None
    is_low: bool
    updated_at: datetime


class MovementOut(BaseModel):
    """One line of an item's ledger."""

    id: int
    location: str
    quantity: int
    reason: str
    actor: str | None
    reference: str | None
    note: str | None
    created_at: datetime


class PageOut(BaseModel, Generic[T]):
    """One page of a listing."""

    items: list[T]
    total: int
    page: int
    per_page: int
    pages: int
