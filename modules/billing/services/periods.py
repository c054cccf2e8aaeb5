"""Billing periods: where a monthly or annual period ends, and how much of one is left."""

from __future__ import annotations

import calendar
import math
from datetime import datetime

from modules.billing.models import BillingCycle

DAY_SECONDS = 86_400


def add_months(moment: datetime, months: int) -> datetime:
    """``moment`` ``months`` later on the same day, or the month's last day when it has fewer
    (31 January + 1 month = 28 or 29 February)."""
    month_index = moment.month - 1 + months
    year = moment.year + month_index // 12
    month = month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def period_end(start: datetime, cycle: BillingCycle | str) -> datetime:
    """The end of a period of ``cycle`` starting at ``start``."""
    return add_months(start, 12 if BillingCycle(cycle) == BillingCycle.ANNUAL else 1)


def whole_days(start: datetime, end: datetime) -> int:
    """Days from ``start`` to ``end``, a started day counting as one (0 when ``end`` is past)."""
    return max(0, math.ceil((end - start).total_seconds() / DAY_SECONDS))


def prorated(amount_cents: int, days_used: int, days_total: int) -> int:
    """``amount_cents`` for ``days_used`` of ``days_total`` days, rounded to the cent (half up)."""
    if days_total <= 0:
        return 0
    return (2 * amount_cents * days_used + days_total) // (2 * days_total)
