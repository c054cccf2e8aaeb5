"""One-time tokens a user redeems by following a link: the console's "Open admin" (``sign_in``,
a minute) and a forgotten password's reset (``password_reset``, an hour)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from orion_server.database import Base, UTCDateTime, utcnow


class LoginToken(Base):
    """A link's token, stored hashed; good once, for its purpose only, until it expires."""

    __tablename__ = "login_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    purpose: Mapped[str] = mapped_column(String(20), default="sign_in", server_default="sign_in", nullable=False)
