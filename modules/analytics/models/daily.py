"""Daily aggregates of the stores' orders, per Luxembourg day, that the report pages sum.

One row per store, local day, *dimension* and key: ``total`` (key ``""``: the sales kept, the
currency in ``label``), ``status`` (key: a status; every order placed that day by its status
now), ``payment`` and ``shipping`` (key: the method's code), ``product`` (key: a SKU; ``orders``
counts the orders containing it) and ``vat`` (key: a rate, with the invoices' net, VAT and
gross). Each store-day is recomputed as a whole from the orders contract when one of its orders
changes (``services.aggregates``), so a row never depends on what it held before.

``StoreBuild`` says a store's days were all computed once (the backfill): reports read the
aggregates only for stores that have one, and the orders themselves otherwise.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from orion_server.database import Base, UTCDateTime

DIMENSIONS = ("total", "status", "payment", "shipping", "product", "vat")
"""What a daily figure counts (see the module docstring)."""


class DailyFigure(Base):
    """Figures of one store's orders placed on one local day, for one value of a dimension."""

    __tablename__ = "analytics_daily_figures"
    __table_args__ = (
        # also the reports' index: one store's dimension over a range of days
        UniqueConstraint("store_id", "dimension", "day", "key"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), nullable=False)
    day: Mapped[date] = mapped_column(Date, nullable=False)
    dimension: Mapped[str] = mapped_column(String(16), nullable=False)
    key: Mapped[str] = mapped_column(String(64), nullable=False)
    label: Mapped[str] = mapped_column(String(300), default="", nullable=False)
    orders: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    revenue_cents: Mapped[int] = mapped_column(BigInteger, default=0, nullable=False)
    units: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    net_cents: Mapped[int] = mapped_column(BigInteger, default=0, nullable=False)
    vat_cents: Mapped[int] = mapped_column(BigInteger, default=0, nullable=False)
    gross_cents: Mapped[int] = mapped_column(BigInteger, default=0, nullable=False)


class StoreBuild(Base):
    """A store whose daily figures were all computed (and are kept up to date since)."""

    __tablename__ = "analytics_store_builds"

    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), primary_key=True)
    built_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    days: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    """How many days with orders the build found."""
