"""A catalogue file a store uploaded (its Letzshop feed, or Orion's own CSV) and its import."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from orion_server.database import Base, TimestampMixin, UTCDateTime


class CatalogueImport(TimestampMixin, Base):
    """One import: the file is kept in the data folder (``marketplace/imports/<id>.csv``) until
    it is done; ``errors`` are ``{"row", "column", "message"}`` for every refused row."""

    __tablename__ = "marketplace_imports"
    __table_args__ = (Index("ix_marketplace_imports_store_id_created_at", "store_id", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), nullable=False)
    file_name: Mapped[str] = mapped_column(String(255), nullable=False)
    language: Mapped[str] = mapped_column(String(5), nullable=False)
    status: Mapped[str] = mapped_column(String(20), default="queued", nullable=False)
    """``queued``, ``running``, ``done``, ``cancelled`` or ``failed``."""
    total_rows: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    done_rows: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    created_count: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    updated_count: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    unchanged_count: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    error_count: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    errors: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list, nullable=False)
    cancel_requested: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    actor: Mapped[str | None] = mapped_column(String(255))
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
