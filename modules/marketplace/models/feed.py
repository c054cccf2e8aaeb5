"""A store's Letzshop product feed: its secret token and when it was last written."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from orion_server.database import Base, TimestampMixin, UTCDateTime


class MarketplaceFeed(TimestampMixin, Base):
    """The feed of one store: the files live in the data folder
    (``marketplace/feeds/<store id>/letzshop_<lang>.tsv``), the database knows their state.

    ``stale_since`` is set when a product or its stock changed after the last generation and
    a generation is scheduled; it is cleared when one starts.
    """

    __tablename__ = "marketplace_feeds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    store_id: Mapped[int] = mapped_column(
        ForeignKey("stores.id", ondelete="CASCADE"), unique=True, nullable=False
    )
    token: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    generated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    row_count: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    """Rows (published variants) of the last generation, the same in every language."""
    duration_ms: Mapped[int | None] = mapped_column(Integer)
    """How long the last generation took, every language together."""
    stale_since: Mapped[datetime | None] = mapped_column(UTCDateTime())
