"""The analytics dashboard (Professional plans and up): today, the last 7 and the last 30 days
each beside the days just before, the last 30 days' sales day by day, and the best sellers.

Figures come from the reports (``reports``), so they are the ones the report pages show for the
same days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.orm import Session

from modules.analytics.services import reports
from modules.analytics.services.periods import ReportPeriod
from modules.contracts.order_reports import SalesShare, SalesTotals

WINDOWS = (1, 7, 30)
"""The spans the dashboard compares, in days ending today."""
TOP = 5
"""How many best sellers it lists."""


@dataclass(frozen=True)
class Kpi:
    """The sales of the last ``days`` days beside the ``days`` before."""

    days: int
    period: ReportPeriod
    current: SalesTotals
    previous: SalesTotals


@dataclass(frozen=True)
class Dashboard:
    """What the dashboard shows."""

    on: date
    kpis: list[Kpi]
    trend: reports.SalesReport
    """The last 30 days, day by day, beside the 30 before."""
    top_products: list[SalesShare]

    @property
    def currency(self) -> str:
        return self.trend.currency

    @property
    def month(self) -> ReportPeriod:
        """The last 30 days (the charts' period)."""
        return self.trend.period


def window(on: date, days: int) -> ReportPeriod:
    """The ``days`` days ending ``on``, by day."""
    return ReportPeriod(on - timedelta(days=days - 1), on, "day")


def dashboard(db: Session, *, scope: reports.Scope, on: date) -> Dashboard:
    """The dashboard of the scope's stores as of local day ``on``."""
    trend = reports.sales_report(db, scope=scope, period=window(on, max(WINDOWS)))
    kpis = []
    for days in WINDOWS:
        if days == trend.period.days:
            kpis.append(Kpi(days, trend.period, trend.totals, trend.previous_totals))
            continue
        period = window(on, days)
        current, previous = reports.totals(db, scope=scope, period=period)
        kpis.append(Kpi(days, period, current, previous))
    top = reports.products_report(db, scope=scope, period=trend.period, top=TOP, with_categories=False)
    return Dashboard(on=on, kpis=kpis, trend=trend, top_products=top.by_revenue)
