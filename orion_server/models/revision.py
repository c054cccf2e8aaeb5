"""A counter bumped by every configuration change, so every process knows when to reload."""

from __future__ import annotations

from sqlalchemy import BigInteger, Integer
from sqlalchemy.orm import Mapped, mapped_column

from orion_server.database import Base


class ConfigRevision(Base):
    """One row (id 1) whose value grows with each change to cached configuration."""

    __tablename__ = "config_revision"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0, nullable=False)
