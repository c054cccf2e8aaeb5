"""A loyalty program (one per merchant, used across its stores) and the rewards it offers."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from orion_server.database import Base, TimestampMixin


class LoyaltyProgram(TimestampMixin, Base):
    """Stamps (``stamps_goal`` stamps earn a reward), points (``points_per_euro`` points per euro
    spent, each worth ``point_value_cents``), or both, with the counter's anti-fraud limits.

    Owned by the store's merchant (``merchant_id``) so every store of the merchant shares it; a
    store without a merchant owns its own (``store_id``)."""

    __tablename__ = "loyalty_programs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("platforms.id", ondelete="CASCADE"), index=True)
    merchant_id: Mapped[int | None] = mapped_column(ForeignKey("merchants.id", ondelete="CASCADE"), unique=True)
    store_id: Mapped[int | None] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), unique=True)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    stamps_enabled: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    stamps_goal: Mapped[int] = mapped_column(Integer, default=10, nullable=False)
    """Stamps that fill a card (the stamp rewards cost this many unless priced otherwise)."""
    stamps_per_order: Mapped[int] = mapped_column(Integer, default=1, nullable=False)
    """Stamps a paid online order earns (0: online orders earn no stamps)."""
    points_enabled: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    points_per_euro: Mapped[int] = mapped_column(Integer, default=1, nullable=False)
    point_value_cents: Mapped[int] = mapped_column(Integer, default=1, nullable=False)
    """What one point is worth when redeemed as a discount, in cents."""
    min_redeem_points: Mapped[int] = mapped_column(Integer, default=100, nullable=False)
    cooldown_minutes: Mapped[int] = mapped_column(Integer, default=15, nullable=False)
    """Least time between two counter stamps on one card."""
    daily_stamp_cap: Mapped[int] = mapped_column(Integer, default=5, nullable=False)
    """Most stamps one card gets at the counter per day (Luxembourg time)."""
    pin_max_failures: Mapped[int] = mapped_column(Integer, default=5, nullable=False)
    pin_lock_minutes: Mapped[int] = mapped_column(Integer, default=30, nullable=False)
    texts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, nullable=False)
    """Per language: ``{"en": {"title": ..., "terms": ...}}`` shown on the storefront."""

    rewards: Mapped[list[LoyaltyReward]] = relationship(
        back_populates="program", cascade="all, delete-orphan", order_by="LoyaltyReward.cost"
    )


class LoyaltyReward(TimestampMixin, Base):
    """What a card's stamps or points buy: a free item, an amount off or a percentage off."""

    __tablename__ = "loyalty_rewards"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("loyalty_programs.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    """``free_item``, ``amount_off`` (``value`` cents) or ``percent_off`` (``value`` percent)."""
    currency: Mapped[str] = mapped_column(String(10), nullable=False)
    """What it costs: ``stamps`` or ``points``."""
    cost: Mapped[int] = mapped_column(Integer, nullable=False)
    value: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    names: Mapped[dict[str, str]] = mapped_column(JSON, default=dict, nullable=False)
    """The reward's name per language."""
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)

    program: Mapped[LoyaltyProgram] = relationship(back_populates="rewards")

    def name_in(self, language: str, fallback: str) -> str:
        """Its name in ``language``, else in ``fallback``, else in any language it has."""
        return self.names.get(language) or self.names.get(fallback) or next(iter(self.names.values()), "")
