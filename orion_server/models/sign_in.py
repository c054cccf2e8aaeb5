"""Sign-in attempts counted against an account and a client address, for throttling."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from orion_server.database import Base, UTCDateTime, utcnow


class SignInAttempt(Base):
    """One password check that did not (yet) succeed, under a hashed key such as
    ``account|admin|a@b.lu`` or ``address|admin|192.0.2.1``. A row is written before the password
    is verified, so concurrent guesses count too, and removed when the attempt succeeds."""

    __tablename__ = "sign_in_attempts"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer(), "sqlite"), primary_key=True)
    key: Mapped[str] = mapped_column(String(64), nullable=False, index=True)
    attempted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False, index=True)
