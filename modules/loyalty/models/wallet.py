"""Wallet passes: the platform's Apple Wallet and Google Wallet credentials, and the devices that
registered an Apple Wallet pass for updates (PassKit web service)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from orion_server.database import Base, UTCDateTime, utcnow


class LoyaltyWalletSettings(Base):
    """One platform's wallet credentials, set by its admin. The private key and the Google
    service-account key are stored sealed (``orion_server.secrets_box``)."""

    __tablename__ = "loyalty_wallet_settings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("platforms.id", ondelete="CASCADE"), unique=True)
    apple_pass_type_id: Mapped[str] = mapped_column(String(200), default="", nullable=False)
    apple_team_id: Mapped[str] = mapped_column(String(20), default="", nullable=False)
    apple_certificate_pem: Mapped[str] = mapped_column(Text, default="", nullable=False)
    apple_private_key: Mapped[str] = mapped_column(Text, default="", nullable=False)
    """The certificate's private key (PEM, unencrypted), sealed."""
    apple_wwdr_pem: Mapped[str] = mapped_column(Text, default="", nullable=False)
    google_issuer_id: Mapped[str] = mapped_column(String(40), default="", nullable=False)
    google_service_account: Mapped[str] = mapped_column(Text, default="", nullable=False)
    """The service account's key file (JSON), sealed."""
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)


class LoyaltyPassRegistration(Base):
    """A device that added a card's pass to Apple Wallet and asks for its updates."""

    __tablename__ = "loyalty_pass_registrations"
    __table_args__ = (
        UniqueConstraint("device_library_id", "pass_type_id", "card_id", name="uq_loyalty_pass_registrations_device"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    card_id: Mapped[int] = mapped_column(ForeignKey("loyalty_cards.id", ondelete="CASCADE"), index=True)
    device_library_id: Mapped[str] = mapped_column(String(100), nullable=False, index=True)
    pass_type_id: Mapped[str] = mapped_column(String(200), nullable=False)
    push_token: Mapped[str] = mapped_column(String(200), default="", nullable=False)
    """The device's APNs token (pushes go through Apple's servers)."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
