"""Email: staff-edited templates, the outbox of emails to send, and SMTP settings per platform."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from orion_server.database import Base, UTCDateTime, utcnow

OUTBOX_STATUSES = ("queued", "sending", "sent", "failed")


class EmailTemplate(Base):
    """A staff-edited email template in one language.

    A platform template has no ``store_id``; a store template overrides the platform's (and the
    built-in one) for that store. Templates are Jinja2, rendered in a sandbox.
    """

    __tablename__ = "email_templates"
    __table_args__ = (
        UniqueConstraint("platform_id", "store_id", "code", "language"),
        # NULL store ids never clash in a unique constraint: platform templates need their own index.
        Index(
            "uq_email_templates_platform_code_language",
            "platform_id",
            "code",
            "language",
            unique=True,
            sqlite_where=text("store_id IS NULL"),
            postgresql_where=text("store_id IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform_id: Mapped[int] = mapped_column(
        ForeignKey("platforms.id", ondelete="CASCADE"), index=True
    )
    store_id: Mapped[int | None] = mapped_column(
        ForeignKey("stores.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(50), nullable=False)
    language: Mapped[str] = mapped_column(String(5), nullable=False)
    subject: Mapped[str] = mapped_column(String(300), nullable=False)
    body_html: Mapped[str] = mapped_column(Text, nullable=False)
    body_text: Mapped[str] = mapped_column(Text, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), default=utcnow, onupdate=utcnow, nullable=False
    )


class EmailOutbox(Base):
    """One email to send: rendered when queued, sent (and retried) by the ``send_outbox`` task.

    ``status`` goes queued → sending (claimed by a worker at ``claimed_at``) → sent, or back to
    queued with a later ``next_attempt_at`` when sending failed, and failed after too many tries.
    """

    __tablename__ = "email_outbox"
    __table_args__ = (Index("ix_email_outbox_status_next_attempt_at", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform_id: Mapped[int] = mapped_column(
        ForeignKey("platforms.id", ondelete="CASCADE"), index=True
    )
    store_id: Mapped[int | None] = mapped_column(
        ForeignKey("stores.id", ondelete="SET NULL"), index=True
    )
    code: Mapped[str] = mapped_column(String(50), default="", nullable=False)
    to_address: Mapped[str] = mapped_column(String(255), nullable=False)
    language: Mapped[str] = mapped_column(String(5), nullable=False)
    subject: Mapped[str] = mapped_column(String(300), nullable=False)
    body_html: Mapped[str] = mapped_column(Text, nullable=False)
    body_text: Mapped[str] = mapped_column(Text, nullable=False)
    status: Mapped[str] = mapped_column(String(10), default="queued", nullable=False)
    attempts: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)


class SmtpSettings(Base):
    """How a platform sends email. The password is stored encrypted and never shown back, logged
    or put in errors."""

    __tablename__ = "smtp_settings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform_id: Mapped[int] = mapped_column(
        ForeignKey("platforms.id", ondelete="CASCADE"), unique=True
    )
    host: Mapped[str] = mapped_column(String(255), nullable=False)
    port: Mapped[int] = mapped_column(Integer, default=587, nullable=False)
    username: Mapped[str] = mapped_column(String(255), default="", nullable=False)
    password: Mapped[str] = mapped_column(Text, default="", nullable=False)
    """Encrypted (``fernet:v1:…``, see orion_server.secrets_box); '' when none is set."""
    use_tls: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    """Implicit TLS from the first byte (SMTP_SSL, usually port 465)."""
    use_starttls: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    """Upgrade a plain connection with STARTTLS (usually port 587)."""
    from_address: Mapped[str] = mapped_column(String(255), nullable=False)
    from_name: Mapped[str] = mapped_column(String(200), default="", nullable=False)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), default=utcnow, onupdate=utcnow, nullable=False
    )

    def __repr__(self) -> str:  # never the password
        return f"<SmtpSettings platform={self.platform_id} host={self.host!r} port={self.port}>"
