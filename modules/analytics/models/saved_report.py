"""A custom report a store saved: the dimensions and measures chosen and the period it opens on."""

from __future__ import annotations

from sqlalchemy import JSON, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from orion_server.database import Base, TimestampMixin


class SavedReport(TimestampMixin, Base):
    """A store's saved custom report, named uniquely within the store."""

    __tablename__ = "analytics_saved_reports"
    __table_args__ = (UniqueConstraint("store_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    dimensions: Mapped[list[str]] = mapped_column(JSON, default=list, nullable=False)
    """One or two of ``custom_reports.DIMENSIONS``, in the order the table shows them."""
    measures: Mapped[list[str]] = mapped_column(JSON, default=list, nullable=False)
    """One or more of ``custom_reports.MEASURES``."""
    default_range: Mapped[str] = mapped_column(String(20), default="last_30_days", nullable=False)
    """The period the report opens on (``custom_reports.RANGES``)."""
    created_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
