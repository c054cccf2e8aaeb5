"""Advanced statistics (Business plans and up): cohorts of returning customers and the products
bought together.

A *cohort* is the customers (e-mail addresses, per store) whose first order the store kept was
placed in one local month of the period; for each later month up to the period's last, the share
of them who ordered again in that month. A *pair* is two SKUs on the same kept order; pairs are
ranked by how many orders of the period hold both. Both read the orders one by one through the
orders contract (no sum of days can tell who came back, or what was bought together).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from itertools import combinations

from sqlalchemy.orm import Session

from modules.analytics.services import reports
from modules.analytics.services.periods import ReportPeriod, local_day

TOP_PAIRS = 10
"""How many pairs the page lists."""


@dataclass(frozen=True)
class Cohort:
    """The customers who first ordered in ``month``, and how many of them ordered again in each
    later month (``returning[0]`` is the month after)."""

    month: date
    customers: int
    returning: list[int]

    @property
    def shares(self) -> list[float]:
        """``returning`` as shares of ``customers`` (0 to 1)."""
        return [count / self.customers for count in self.returning] if self.customers else []


@dataclass(frozen=True)
class ProductPair:
    """Two SKUs bought on the same orders (``first`` before ``second`` by SKU)."""

    first: str
    first_label: str
    second: str
    second_label: str
    orders: int


@dataclass(frozen=True)
class StatisticsReport:
    """The cohorts and the pairs of a period."""

    period: ReportPeriod
    cohorts: list[Cohort]
    pairs: list[ProductPair]
    months: int
    """How many months after the first the cohort table has columns for."""

    @property
    def empty(self) -> bool:
        return not self.cohorts and not self.pairs


def _month(day: date) -> date:
    return day.replace(day=1)


def _months_between(first: date, last: date) -> int:
    return (last.year - first.year) * 12 + last.month - first.month


def cohorts(db: Session, *, scope: reports.Scope, period: ReportPeriod) -> list[Cohort]:
    """The cohorts of the months ``period`` touches (a whole month each, its first included),
    oldest first, followed up to the period's last month; months without new customers are
    left out."""
    source = reports._source(db, scope)
    first_month: dict[tuple[int, str], date] = {}
    active: dict[tuple[int, str], set[date]] = defaultdict(set)
    for order in source.customer_orders(db, store_ids=scope.store_ids, end=period.end):
        who = (order.store_id, order.customer_email.lower())
        month = _month(local_day(order.placed_at))
        first_month.setdefault(who, month)
        active[who].add(month)
    last = _month(period.last)
    sized: dict[date, list[tuple[int, str]]] = defaultdict(list)
    for who, month in first_month.items():
        if _month(period.first) <= month <= last:
            sized[month].append(who)
    found = []
    for month in sorted(sized):
        members = sized[month]
        later = _months_between(month, last)
        returning = []
        for offset in range(1, later + 1):
            target = _add_months(month, offset)
            returning.append(sum(1 for who in members if target in active[who]))
        found.append(Cohort(month=month, customers=len(members), returning=returning))
    return found


def _add_months(month: date, count: int) -> date:
    index = month.month - 1 + count
    return date(month.year + index // 12, index % 12 + 1, 1)


def product_pairs(db: Session, *, scope: reports.Scope, period: ReportPeriod, top: int = TOP_PAIRS) -> list[ProductPair]:
    """The ``top`` pairs of SKUs by orders holding both, then by SKU."""
    source = reports._source(db, scope)
    skus: dict[int, set[str]] = defaultdict(set)
    labels: dict[str, str] = {}
    for line in source.ordered_skus(db, store_ids=scope.store_ids, start=period.start, end=period.end):
        skus[line.order_id].add(line.sku)
        labels[line.sku] = max(labels.get(line.sku, ""), line.title)
    counted: Counter[tuple[str, str]] = Counter()
    for held in skus.values():
        counted.update(combinations(sorted(held), 2))
    ranked = sorted(counted.items(), key=lambda item: (-item[1], item[0]))[:top]
    return [ProductPair(first=a, first_label=labels[a], second=b, second_label=labels[b], orders=n)
            for (a, b), n in ranked]


def statistics_report(db: Session, *, scope: reports.Scope, period: ReportPeriod) -> StatisticsReport:
    """The cohorts and the pairs of the period."""
    found = cohorts(db, scope=scope, period=period)
    return StatisticsReport(period=period, cohorts=found, pairs=product_pairs(db, scope=scope, period=period),
                            months=max((len(c.returning) for c in found), default=0))
