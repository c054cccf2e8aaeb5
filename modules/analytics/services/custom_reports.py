"""Custom reports (Enterprise): the store picks one or two dimensions (days, weeks or months,
order status, payment or shipping method, product, category, new or returning customers) and
one or more measures (orders, revenue, units, average order value, VAT, customers), runs the
report over a period and may save it under a name.

Figures come from the orders module through ``OrderReports.grouped_sales``, counted as the
other reports count them: the orders the store kept (paid, being prepared, shipped or
delivered), by the Luxembourg day they were placed. Grouped by product or category, the
figures are the lines' (no shipping, no order discount), as in the products report.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from modules.analytics.exceptions import OrdersUnavailableError, ReportInputError
from modules.analytics.models import SavedReport
from modules.analytics.services import reports
from modules.analytics.services.periods import ReportPeriod, local_midnight, parse_period
from modules.contracts.checkout_payments import method_label
from modules.contracts.order_reports import GroupedSales, order_reports
from modules.contracts.product_catalog import ProductCategories
from orion_server.errors import NotFoundError
from orion_server.forms import Problem
from orion_server.i18n import format_date, t
from orion_server.providers import get_provider

TIME_DIMENSIONS = ("day", "week", "month")
DIMENSIONS = (*TIME_DIMENSIONS, "status", "payment_method", "shipping_method", "product", "category",
              "customer_type")
"""What a report can be grouped by, as the builder lists them."""
MEASURES = ("orders", "revenue", "units", "average_order", "vat", "customers")
"""What a report can count, as the builder lists them."""
MONEY_MEASURES = frozenset({"revenue", "average_order", "vat"})
RANGES = ("last_30_days", "this_month", "last_month", "last_12_months")
"""The periods a saved report can open on (relative to the day it is opened)."""
CUSTOM_RANGE = "custom"
"""The builder's choice for the dates typed in the form."""
MAX_DIMENSIONS = 2
NAME_LENGTH = 100
_GROUP_OF = {"status": "status", "payment_method": "payment_method", "shipping_method": "shipping_method",
             "product": "product", "category": "product", "customer_type": "customer_type"}
"""The ``OrderReports`` group each dimension asks for (time dimensions ask for ``bucket``)."""


@dataclass(frozen=True)
class ReportDefinition:
    """What a custom report shows: its dimensions (table columns, in order) and measures."""

    dimensions: tuple[str, ...]
    measures: tuple[str, ...]

    @property
    def time_dimension(self) -> str | None:
        """``day``, ``week`` or ``month`` when the report runs over time."""
        return next((d for d in self.dimensions if d in TIME_DIMENSIONS), None)

    @property
    def by_lines(self) -> bool:
        """Whether figures are the order lines' (grouped by product or category)."""
        return any(d in ("product", "category") for d in self.dimensions)

    def query(self) -> list[tuple[str, str]]:
        """The definition as the builder's query parameters."""
        return [("d", d) for d in self.dimensions] + [("m", m) for m in self.measures]


@dataclass(frozen=True)
class ResultRow:
    """One line of the table: a value per dimension and a figure per measure."""

    keys: tuple[str, ...]
    """What is stored: ISO date of a time bucket, status or method code, SKU, category name,
    ``new`` or ``returning``."""
    labels: tuple[str, ...]
    """The same in words, in the reader's language."""
    values: dict[str, int]
    """``{measure: figure}``; money in cents."""


@dataclass(frozen=True)
class CustomReport:
    """A custom report run over a period."""

    definition: ReportDefinition
    period: ReportPeriod
    currency: str
    rows: list[ResultRow]
    total: dict[str, int] = field(default_factory=dict)
    catalog_known: bool = True
    """False where categories were asked but no catalog tells them."""

    @property
    def empty(self) -> bool:
        """No kept order in the period."""
        return not self.total.get("orders")


# -- the definition and the period ------------------------------------------------------------


def range_period(code: str, *, on: date, granularity: str = "day") -> ReportPeriod:
    """The days ``code`` (one of ``RANGES``) covers when opened on ``on``."""
    if code == "this_month":
        first, last = on.replace(day=1), on
    elif code == "last_month":
        last = on.replace(day=1) - timedelta(days=1)
        first = last.replace(day=1)
    elif code == "last_12_months":
        month = on.month - 11
        first = date(on.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)
        last = on
    else:
        first, last = on - timedelta(days=29), on
    return ReportPeriod(first, last, granularity)


def definition_problems(dimensions: Sequence[str], measures: Sequence[str]) -> list[Problem]:
    """What is wrong with a choice of dimensions and measures ([] when nothing)."""
    problems = []
    if not dimensions:
        problems.append(Problem("dimensions", "analytics.custom.errors.no_dimension"))
    elif any(d not in DIMENSIONS for d in dimensions):
        problems.append(Problem("dimensions", "analytics.custom.errors.dimension_unknown"))
    elif len(set(dimensions)) != len(dimensions) or len(dimensions) > MAX_DIMENSIONS:
        problems.append(Problem("dimensions", "analytics.custom.errors.too_many_dimensions"))
    elif sum(d in TIME_DIMENSIONS for d in dimensions) > 1:
        problems.append(Problem("dimensions", "analytics.custom.errors.one_time_dimension"))
    elif set(dimensions) == {"product", "category"}:
        problems.append(Problem("dimensions", "analytics.custom.errors.product_and_category"))
    if not measures:
        problems.append(Problem("measures", "analytics.custom.errors.no_measure"))
    elif any(m not in MEASURES for m in measures):
        problems.append(Problem("measures", "analytics.custom.errors.measure_unknown"))
    return problems


def cleaned(dimensions: Sequence[str], measures: Sequence[str]) -> ReportDefinition:
    """Dimensions in the order chosen and measures in the builder's order, blanks and repeats
    dropped (unknown ones kept, for the validation to name)."""
    dims = tuple(dict.fromkeys(d.strip() for d in dimensions if d.strip()))
    asked = list(dict.fromkeys(m.strip() for m in measures if m.strip()))
    return ReportDefinition(dims, tuple(m for m in MEASURES if m in asked) + tuple(m for m in asked
                                                                                 if m not in MEASURES))


def read_request(
    *, dimensions: Sequence[str], measures: Sequence[str], range_code: str, first: str, last: str, on: date
) -> tuple[ReportDefinition, ReportPeriod]:
    """The definition and period the builder asks for; ReportInputError naming each field wrong.

    Dimensions and measures are kept in the builder's order (duplicates dropped); a range of
    ``RANGES`` is counted back from ``on``, else the typed dates are read as the other reports
    read them (at most three years, at most 92 days by day)."""
    definition = cleaned(dimensions, measures)
    problems = definition_problems(definition.dimensions, definition.measures)
    granularity = definition.time_dimension or "week"
    range_code = (range_code or CUSTOM_RANGE).strip()
    if range_code in RANGES:
        period = range_period(range_code, on=on, granularity=granularity)
        if granularity == "day" and period.days > 92:
            problems.append(Problem("dimensions", "analytics.errors.too_many_days"))
    elif range_code == CUSTOM_RANGE:
        period, found = parse_period({"from": first, "to": last, "by": granularity}, on=on)
        for name, code in found.items():
            problems.append(Problem("dimensions" if name == "by" else name, f"analytics.errors.{code}"))
    else:
        period = range_period("last_30_days", on=on, granularity=granularity)
        problems.append(Problem("range", "analytics.custom.errors.range_unknown"))
    if problems:
        raise ReportInputError(problems)
    return definition, period


# -- running a report -------------------------------------------------------------------------


def _category_groups(db: Session, scope: reports.Scope, skus: Iterable[str]) -> dict[str, str] | None:
    """``{sku: category name}`` of the SKUs, from the catalog (None where it is off)."""
    catalog = get_provider(db, ProductCategories, platform_id=scope.platform_id)
    if catalog is None:
        return None
    skus = list(skus)
    names: dict[str, str] = {}
    for store_id in scope.store_ids:
        for sku, name in catalog.category_names(db, store_id=store_id, skus=skus, language=scope.language).items():
            names.setdefault(sku, name)
    return names


def _figures(sales: GroupedSales) -> dict[str, int]:
    return {
        "orders": sales.orders, "revenue": sales.revenue_cents, "units": sales.units, "vat": sales.vat_cents,
        "customers": sales.customers,
        "average_order": round(sales.revenue_cents / sales.orders) if sales.orders else 0,
    }


def run_report(db: Session, *, scope: reports.Scope, definition: ReportDefinition,
               period: ReportPeriod) -> CustomReport:
    """The report's rows and total over ``period``; the order of rows is the time's where the
    report runs over time, else the largest first measure first."""
    source = order_reports(db, platform_id=scope.platform_id)
    if source is None:
        raise OrdersUnavailableError("the orders module is off on this platform")
    language = scope.language
    where = {"store_ids": scope.store_ids, "start": period.start, "end": period.end}
    time = definition.time_dimension
    buckets = ReportPeriod(period.first, period.last, time).buckets() if time else []
    groups = ["bucket" if d in TIME_DIMENSIONS else _GROUP_OF[d] for d in definition.dimensions]
    sku_groups: dict[str, str] | None = None
    catalog_known = True
    titles: dict[str, str] = {}
    if "product" in definition.dimensions or "category" in definition.dimensions:
        sold = source.by_product(db, **where)
        titles = {share.key: share.label for share in sold}
        if "category" in definition.dimensions:
            found = _category_groups(db, scope, titles)
            catalog_known = found is not None
            sku_groups = found or {}
    grouped = source.grouped_sales(db, **where, group_by=groups,
                                   splits=[local_midnight(day) for day in buckets[1:]], sku_groups=sku_groups)
    # the total, counted at the same level (lines where grouped by product or category)
    whole = source.grouped_sales(db, **where, group_by=["product"] if definition.by_lines else [], sku_groups={})
    total = _figures(whole[0]) if whole else _figures(GroupedSales(keys=()))
    shipping = ({s.key: s.label for s in source.by_shipping_method(db, **where)}
                if "shipping_method" in definition.dimensions else {})

    payments: dict[str, str] = {}

    def key_and_label(dimension: str, key: str) -> tuple[str, str]:
        if dimension in TIME_DIMENSIONS:
            day = buckets[int(key)]
            return day.isoformat(), format_date(day, language, "MMM y" if dimension == "month" else "medium")
        if dimension == "status":
            return key, t(f"analytics.status.{key}", language)
        if dimension == "payment_method":
            if key not in payments:  # asked once per method, not once per row
                payments[key] = (method_label(db, scope.store_ids[0], key, language) if key else "") or key or t(
                    "analytics.none", language)
            return key, payments[key]
        if dimension == "shipping_method":
            return key, shipping.get(key) or key or t("analytics.none", language)
        if dimension == "product":
            return key, titles.get(key) or key
        if dimension == "category":
            return key, key or t("analytics.custom.no_category", language)
        return key, t(f"analytics.custom.customer.{key}", language)

    rows = []
    for sales in grouped:
        pairs = [key_and_label(d, k) for d, k in zip(definition.dimensions, sales.keys, strict=True)]
        rows.append(ResultRow(keys=tuple(k for k, _ in pairs), labels=tuple(lab for _, lab in pairs),
                              values=_figures(sales)))
    if definition.dimensions == (time,):  # every bucket shows, those without sales too
        seen = {row.keys[0] for row in rows}
        rows += [ResultRow(keys=(day.isoformat(),), labels=(key_and_label(time, str(i))[1],),
                           values=_figures(GroupedSales(keys=())))
                 for i, day in enumerate(buckets) if day.isoformat() not in seen]
    rows = _ordered(rows, definition)
    currency = source.totals(db, **where).currency
    return CustomReport(definition=definition, period=period, currency=currency, rows=rows, total=total,
                        catalog_known=catalog_known)


_FIXED_ORDER = {
    "status": {status: index for index, status in enumerate(reports.ORDER_STATUSES)},
    "customer_type": {"new": 0, "returning": 1},
}


def _ordered(rows: list[ResultRow], definition: ReportDefinition) -> list[ResultRow]:
    """Time in order, status and customer type in their natural order, anything else by the
    first measure (summed over the other dimension), largest first; labels break ties."""
    first = definition.measures[0]
    sums: list[dict[str, int]] = [defaultdict(int) for _ in definition.dimensions]
    for row in rows:
        for index, key in enumerate(row.keys):
            sums[index][key] += row.values[first]

    def sort_key(row: ResultRow) -> tuple[Any, ...]:
        parts: list[Any] = []
        for index, dimension in enumerate(definition.dimensions):
            key = row.keys[index]
            if dimension in TIME_DIMENSIONS:
                parts.append((0, key, ""))
            elif dimension in _FIXED_ORDER:
                parts.append((_FIXED_ORDER[dimension].get(key, 99), "", row.labels[index]))
            else:
                parts.append((-sums[index][key], row.labels[index], key))
        return tuple(parts)

    return sorted(rows, key=sort_key)


def csv_rows(report: CustomReport) -> list[list[Any]]:
    """The table as CSV rows, header first: one column per dimension (what is stored: ISO date,
    code, SKU, category), the product's title beside a SKU, one per measure (money in units
    with a dot), the currency; the total last."""
    from orion_server.money import amount_text

    dimensions, measures = report.definition.dimensions, report.definition.measures
    header = []
    for dimension in dimensions:
        header += [dimension, "product_title"] if dimension == "product" else [dimension]
    header += [*measures, "currency"]

    def figures(values: dict[str, int]) -> list[Any]:
        return [amount_text(values[m]) if m in MONEY_MEASURES else values[m] for m in measures]

    lines: list[list[Any]] = [header]
    for row in report.rows:
        cells: list[Any] = []
        for index, dimension in enumerate(dimensions):
            cells += [row.keys[index], row.labels[index]] if dimension == "product" else [row.keys[index]]
        lines.append([*cells, *figures(row.values), report.currency])
    blanks = len(header) - len(measures) - 2
    lines.append(["total", *([""] * blanks), *figures(report.total), report.currency])
    return lines


# -- saved reports ----------------------------------------------------------------------------


def list_saved(db: Session, *, store_id: int) -> list[SavedReport]:
    """The store's saved reports, by name."""
    return list(db.scalars(select(SavedReport).where(SavedReport.store_id == store_id)
                           .order_by(SavedReport.name, SavedReport.id)))


def get_saved(db: Session, *, store_id: int, report_id: int) -> SavedReport:
    """One of the store's saved reports; NotFoundError for another store's or none."""
    saved = db.scalar(select(SavedReport).where(SavedReport.id == report_id, SavedReport.store_id == store_id))
    if saved is None:
        raise NotFoundError(f"no saved report {report_id}")
    return saved


def definition_of(saved: SavedReport) -> ReportDefinition:
    """What a saved report shows."""
    return ReportDefinition(tuple(saved.dimensions), tuple(saved.measures))


def _name_problems(db: Session, store_id: int, name: str, *, other_than: int | None = None) -> list[Problem]:
    if not name:
        return [Problem("name", "analytics.custom.errors.name_missing")]
    if len(name) > NAME_LENGTH:
        return [Problem("name", "analytics.custom.errors.name_too_long", {"max": NAME_LENGTH})]
    taken = db.scalars(select(SavedReport.name).where(SavedReport.store_id == store_id,
                                                      SavedReport.id != (other_than or 0)))
    if any(existing.casefold() == name.casefold() for existing in taken):
        return [Problem("name", "analytics.custom.errors.name_taken", {"name": name})]
    return []


def save_report(db: Session, *, store_id: int, name: str, dimensions: Sequence[str], measures: Sequence[str],
                default_range: str, user_id: int | None = None) -> SavedReport:
    """Save a definition under a name unique in the store (letter case aside); ReportInputError
    naming each field wrong."""
    name = " ".join(name.split())
    definition = cleaned(dimensions, measures)
    problems = _name_problems(db, store_id, name)
    problems += definition_problems(definition.dimensions, definition.measures)
    if default_range not in RANGES:
        problems.append(Problem("default_range", "analytics.custom.errors.range_unknown"))
    elif definition.time_dimension == "day" and default_range == "last_12_months":
        problems.append(Problem("default_range", "analytics.errors.too_many_days"))
    if problems:
        raise ReportInputError(problems)
    saved = SavedReport(store_id=store_id, name=name, dimensions=list(definition.dimensions),
                        measures=list(definition.measures), default_range=default_range,
                        created_by_user_id=user_id)
    db.add(saved)
    db.commit()
    return saved


def rename_report(db: Session, *, store_id: int, report_id: int, name: str) -> SavedReport:
    """Give a saved report another name (unique in the store)."""
    saved = get_saved(db, store_id=store_id, report_id=report_id)
    name = " ".join(name.split())
    problems = _name_problems(db, store_id, name, other_than=saved.id)
    if problems:
        raise ReportInputError(problems)
    saved.name = name
    db.commit()
    return saved


def delete_report(db: Session, *, store_id: int, report_id: int) -> None:
    """Delete one of the store's saved reports."""
    db.delete(get_saved(db, store_id=store_id, report_id=report_id))
    db.commit()
