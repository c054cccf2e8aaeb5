"""Each report's table as CSV, streamed line by line: the figures a chart draws, for a
spreadsheet. Money in the currency's units with a dot (``12.34``), dates ISO 8601, column names
in English (stable for formulas and imports)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy.orm import Session

from modules.analytics.services import reports
from modules.analytics.services.periods import ReportPeriod
from orion_server.money import amount_text

TABLES = ("sales", "statuses", "payments", "shipping", "products", "categories", "customers", "vat")
"""The tables that can be exported, one CSV each."""


def _money(cents: int) -> str:
    return amount_text(cents)


def _sales(db: Session, scope: reports.Scope, period: ReportPeriod) -> Iterator[list[Any]]:
    report = reports.sales_report(db, scope=scope, period=period)
    yield ["period_start", "orders", "revenue", "previous_period_start", "previous_orders", "previous_revenue",
           "currency"]
    for point in report.points:
        yield [point.day.isoformat(), point.orders, _money(point.revenue_cents),
               point.previous_day.isoformat() if point.previous_day else "", point.previous_orders,
               _money(point.previous_revenue_cents), report.currency]


def _statuses(db: Session, scope: reports.Scope, period: ReportPeriod) -> Iterator[list[Any]]:
    report = reports.sales_report(db, scope=scope, period=period)
    yield ["status", "orders"]
    yield from ([status, count] for status, count in report.statuses)


def _methods(db: Session, scope: reports.Scope, period: ReportPeriod, which: str) -> Iterator[list[Any]]:
    report = reports.sales_report(db, scope=scope, period=period)
    shares = report.payments if which == "payments" else report.shipping
    yield ["method", "label", "orders", "revenue", "currency"]
    yield from ([s.key, s.label, s.orders, _money(s.revenue_cents), report.currency] for s in shares)


def _products(db: Session, scope: reports.Scope, period: ReportPeriod) -> Iterator[list[Any]]:
    report = reports.products_report(db, scope=scope, period=period)
    yield ["sku", "title", "orders", "units", "revenue", "currency"]
    yield from ([p.key, p.label, p.orders, p.units, _money(p.revenue_cents), report.currency]
                for p in report.by_revenue)


def _categories(db: Session, scope: reports.Scope, period: ReportPeriod) -> Iterator[list[Any]]:
    report = reports.products_report(db, scope=scope, period=period)
    yield ["category", "units", "revenue", "currency"]
    yield from ([c.name, c.units, _money(c.revenue_cents), report.currency] for c in report.categories)


def _customers(db: Session, scope: reports.Scope, period: ReportPeriod) -> Iterator[list[Any]]:
    report = reports.customers_report(db, scope=scope, period=period)
    yield ["period", "customers", "new_customers", "returning_customers", "new_orders", "returning_orders",
           "new_revenue", "returning_revenue", "currency"]
    for name, split in (("current", report.current), ("previous", report.previous)):
        yield [name, split.new_customers + split.returning_customers, split.new_customers,
               split.returning_customers, split.new_orders, split.returning_orders,
               _money(split.new_revenue_cents), _money(split.returning_revenue_cents), report.currency]


def _vat(db: Session, scope: reports.Scope, period: ReportPeriod) -> Iterator[list[Any]]:
    report = reports.vat_report(db, scope=scope, period=period)
    yield ["vat_rate_percent", "net", "vat", "gross", "currency"]
    for row in [*report.rows, report.total]:
        yield [row.rate or "total", _money(row.net_cents), _money(row.vat_cents), _money(row.gross_cents),
               report.currency]


def table_rows(db: Session, *, table: str, scope: reports.Scope, period: ReportPeriod) -> list[list[Any]]:
    """The rows of one report table, its header first (worked out before the answer starts, so a
    failure is an error page, not a cut file); ValueError for an unknown table."""
    if table not in TABLES:
        raise ValueError(f"no table {table!r}")
    if table in ("payments", "shipping"):
        return list(_methods(db, scope, period, table))
    makers = {"sales": _sales, "statuses": _statuses, "products": _products, "categories": _categories,
              "customers": _customers, "vat": _vat}
    return list(makers[table](db, scope, period))


def csv_lines(rows: Iterable[list[Any]]) -> Iterator[str]:
    """``rows`` as CSV text, one line at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow(row)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def file_name(prefix: str, table: str, period: ReportPeriod) -> str:
    """``bakery-sales-2026-11-01-2026-11-30.csv``: safe characters only."""
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in prefix)
    return f"{safe}-{table}-{period.first.isoformat()}-{period.last.isoformat()}.csv"
