"""Platforms, merchants, stores and store memberships."""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from orion_server.database import Base, TimestampMixin


class Platform(TimestampMixin, Base):
    """A marketplace served by this installation (the main one at the root URL)."""

    __tablename__ = "platforms"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(50), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    domain: Mapped[str | None] = mapped_column(String(255), unique=True)
    default_language: Mapped[str] = mapped_column(String(5), default="fr", nullable=False)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)

    stores: Mapped[list[Store]] = relationship(back_populates="platform")


class Merchant(TimestampMixin, Base):
    """A business that owns stores on a platform."""

    __tablename__ = "merchants"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("platforms.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    contact_email: Mapped[str | None] = mapped_column(String(255))
    contact_phone: Mapped[str | None] = mapped_column(String(50))
    website: Mapped[str | None] = mapped_column(String(255))
    business_address: Mapped[str | None] = mapped_column(String(500))
    tax_number: Mapped[str | None] = mapped_column(String(50))
    is_verified: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)

    stores: Mapped[list[Store]] = relationship(back_populates="merchant")


class Store(TimestampMixin, Base):
    """A shop of a merchant; its storefront is a URL space, not a table."""

    __tablename__ = "stores"
    __table_args__ = (UniqueConstraint("platform_id", "subdomain"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("platforms.id", ondelete="CASCADE"), index=True)
    merchant_id: Mapped[int | None] = mapped_column(ForeignKey("merchants.id", ondelete="SET NULL"), index=True)
    code: Mapped[str] = mapped_column(String(50), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    subdomain: Mapped[str] = mapped_column(String(63), nullable=False)
    custom_domain: Mapped[str | None] = mapped_column(String(255), unique=True)
    default_language: Mapped[str] = mapped_column(String(5), default="fr", nullable=False)
    languages: Mapped[list[str]] = mapped_column(JSON, default=lambda: ["fr", "de", "en"], nullable=False)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)

    platform: Mapped[Platform] = relationship(back_populates="stores")
    merchant: Mapped[Merchant | None] = relationship(back_populates="stores")


class StoreMembership(TimestampMixin, Base):
    """A user's role in a store, with the permission ids that role grants."""

    __tablename__ = "store_memberships"
    __table_args__ = (UniqueConstraint("store_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(30), default="staff", nullable=False)
    permissions: Mapped[list[str]] = mapped_column(JSON, default=list, nullable=False)

    store: Mapped[Store] = relationship()
