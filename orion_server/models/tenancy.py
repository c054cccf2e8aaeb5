"""Platforms, merchants, stores and store memberships."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, Column, ForeignKey, Integer, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from orion_server.database import Base, TimestampMixin, UTCDateTime, utcnow


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
    contact_email: Mapped[str | None] = mapped_column(String(255))
    contact_phone: Mapped[str | None] = mapped_column(String(50))
    address: Mapped[str | None] = mapped_column(String(500))
    vat_number: Mapped[str | None] = mapped_column(String(20))
    """Compact EU VAT number (``LU26375245``), checked with python-stdnum."""
    logo_file: Mapped[str | None] = mapped_column(String(100))
    """File name of the logo under ``data_dir/media/<store id>/store/``."""

    platform: Mapped[Platform] = relationship(back_populates="stores")
    merchant: Mapped[Merchant | None] = relationship(back_populates="stores")


class StoreRole(TimestampMixin, Base):
    """A store's own role: a name and the permission ids it grants (the built-in owner, manager
    and staff roles are defined in code, see ``orion_server.store_roles``)."""

    __tablename__ = "store_roles"
    __table_args__ = (UniqueConstraint("store_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    description: Mapped[str] = mapped_column(String(300), default="", nullable=False)
    permissions: Mapped[list[str]] = mapped_column(JSON, default=list, nullable=False)


store_member_roles = Table(
    "store_member_roles",
    Base.metadata,
    Column("membership_id", ForeignKey("store_memberships.id", ondelete="CASCADE"), primary_key=True),
    Column("role_id", ForeignKey("store_roles.id", ondelete="CASCADE"), primary_key=True, index=True),
)
"""Which of its store's own roles a member holds."""


class StoreMembership(TimestampMixin, Base):
    """A user's place in a store: a built-in role (or none) and any of the store's own roles;
    what the member may do is the union of their roles' permissions."""

    __tablename__ = "store_memberships"
    __table_args__ = (UniqueConstraint("store_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str | None] = mapped_column(String(30))
    """``owner``, ``manager`` or ``staff``; None when only the store's own roles apply."""

    store: Mapped[Store] = relationship()
    custom_roles: Mapped[list[StoreRole]] = relationship(secondary=store_member_roles, order_by=StoreRole.name)


class StoreInvitation(Base):
    """An invitation to join a store's team, redeemed once through an e-mailed link (the table
    keeps only the token's hash)."""

    __tablename__ = "store_invitations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(255), nullable=False)
    full_name: Mapped[str] = mapped_column(String(200), default="", nullable=False)
    role: Mapped[str | None] = mapped_column(String(30))
    role_ids: Mapped[list[int]] = mapped_column(JSON, default=list, nullable=False)
    """The store's own roles the member will hold."""
    language: Mapped[str] = mapped_column(String(5), nullable=False)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
