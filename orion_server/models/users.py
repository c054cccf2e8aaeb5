"""People who log in to the admin or a store dashboard (shoppers are customers, not users)."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, Column, ForeignKey, Integer, String, Table
from sqlalchemy.orm import Mapped, mapped_column

from orion_server.database import Base, TimestampMixin, UTCDateTime


class UserRole(enum.StrEnum):
    """What a user may administer."""

    SUPER_ADMIN = "super_admin"
    PLATFORM_ADMIN = "platform_admin"
    STORE_USER = "store_user"


class User(TimestampMixin, Base):
    """A platform admin or store staff member; the password is an argon2id hash."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(255), unique=True, nullable=False)
    full_name: Mapped[str] = mapped_column(String(200), default="", nullable=False)
    password_hash: Mapped[str] = mapped_column(String(255), nullable=False)
    role: Mapped[str] = mapped_column(String(30), default=UserRole.STORE_USER.value, nullable=False)
    language: Mapped[str | None] = mapped_column(String(5))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @property
    def is_admin(self) -> bool:
        return self.role in (UserRole.SUPER_ADMIN, UserRole.PLATFORM_ADMIN)


admin_platforms = Table(
    "admin_platforms",
    Base.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("platform_id", ForeignKey("platforms.id", ondelete="CASCADE"), primary_key=True, index=True),
)
"""The platforms a platform admin is assigned to: they see and change those only (super admins
see every platform and are assigned to none)."""
