"""Add-ons a store pays for on top of its plan (custom domain, premium SSL, mailboxes)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from orion_server.database import Base, TimestampMixin, UTCDateTime


class StoreAddOn(TimestampMixin, Base):
    """One add-on of a store: how many, since when, and when it stops (an add-on given up
    runs until the end of the period already paid)."""

    __tablename__ = "store_add_ons"
    __table_args__ = (UniqueConstraint("store_id", "code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), nullable=False)
    code: Mapped[str] = mapped_column(String(30), nullable=False)
    quantity: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    """Set when given up: the end of the paid period, after which it is gone."""
