"""Each report's chart as an SVG image, drawn on the server by pygal.

A chart is its own URL, shown with ``<img>`` (and a dark variant in ``<picture>``): the page
keeps its strict Content-Security-Policy, and the SVG, an image, runs no script. pygal is
imported when the first chart is drawn, so server start-up does not pay for it. Every chart
has the same figures in a table beside it on the page; labels and amounts are in the reader's
language.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy.orm import Session

from modules.analytics.services import reports
from modules.analytics.services.periods import ReportPeriod
from orion_server.i18n import format_date, format_number, t
from orion_server.money import format_money

CHARTS = ("sales", "statuses", "payments", "shipping", "products_revenue", "products_units", "categories",
          "customers", "vat", "trend_revenue", "trend_orders")
"""The charts that can be drawn (``trend_…``: the dashboard's small charts, no axes)."""
THEMES = {
    # the dashboard's own colours (resources/static/css/orion.css), light and dark
    "light": {"background": "#ffffff", "text": "#1d2330", "muted": "#5f6b7a", "grid": "#dde1e7",
              "colors": ("#2457d6", "#9aa4b2", "#1e8449", "#b9770e", "#c0392b", "#7d3c98", "#148f77")},
    "dark": {"background": "#1c2028", "text": "#e6e9ef", "muted": "#9aa4b2", "grid": "#2c323d",
             "colors": ("#5b8cff", "#6b7585", "#45c27a", "#e0a53a", "#ee6b5b", "#b07cd8", "#3fc1a5")},
}
WIDTH, HEIGHT = 800, 360


def _style(theme: str) -> Any:
    from pygal.style import Style

    palette = THEMES.get(theme, THEMES["light"])
    return Style(
        background=palette["background"], plot_background=palette["background"],
        foreground=palette["text"], foreground_strong=palette["text"], foreground_subtle=palette["grid"],
        guide_stroke_color=palette["grid"], major_guide_stroke_color=palette["grid"],
        colors=palette["colors"], font_family="system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif",
        label_font_size=13, major_label_font_size=13, legend_font_size=14, value_font_size=13,
        tooltip_font_size=13, title_font_size=16, opacity=".9", opacity_hover="1", transition="0s",
    )


def _config(theme: str, **options: Any) -> dict[str, Any]:
    return {
        "style": _style(theme), "width": WIDTH, "height": HEIGHT, "js": [],  # no script in an image
        "legend_at_bottom": True, "legend_at_bottom_columns": 3, "truncate_legend": -1, "truncate_label": 40,
        "margin": 12, "margin_bottom": 28, "spacing": 14, "max_scale": 6, "show_y_guides": True, "show_x_guides": False, "print_values": False,
        "no_data_text": "", "explicit_size": True, **options,
    }


SCRIPT = re.compile(rb"<script\b[^>]*>.*?</script>", re.DOTALL)
"""pygal writes its tooltip configuration as a script even without its JavaScript: an image
has no use for it."""


def _render(chart: Any) -> bytes:
    svg = chart.render()
    return SCRIPT.sub(b"", svg if isinstance(svg, bytes) else svg.encode("utf-8"))


def _money_formatter(language: str, currency: str) -> Callable[[float | None], str]:
    def money(value: float | None) -> str:
        return format_money(round((value or 0) * 100), language, currency) if value is not None else ""

    return money


def _whole_ticks(series: Sequence[tuple[str, Sequence[float]]]) -> list[int]:
    """Whole-number guides for counts (pygal would put some at 0.2, 0.4, ...)."""
    top = max((max(values, default=0) for _, values in series), default=0)
    step = 1
    while top / step > 8:
        step *= 5 if str(step).startswith("2") else 2
    return list(range(0, int(top) + step + 1, step))


def _bars(labels: Sequence[str], series: Sequence[tuple[str, Sequence[float]]], *, theme: str,
          formatter: Callable[[float | None], str], horizontal: bool = True, whole: bool = False) -> bytes:
    import pygal

    kind = pygal.HorizontalBar if horizontal else pygal.Bar
    legend = len(series) > 1
    # drawn at about the size the page shows it (half the content's width): text stays readable
    height = max(200, 90 + 38 * len(labels) * (len(series) if horizontal else 0) + (40 if legend else 0))
    options = {"y_labels": _whole_ticks(series)} if whole else {}
    chart = kind(**_config(theme, width=560, height=height if horizontal else 320, value_formatter=formatter,
                           show_legend=legend, x_label_rotation=0, **options))
    # a horizontal chart draws its first label at the bottom: reversed, it reads like the table
    order = (lambda items: list(items)[::-1]) if horizontal else list
    chart.x_labels = order(labels)
    for name, values in series:
        chart.add(name, order(values))
    return _render(chart)


def _sales(report: reports.SalesReport, language: str, theme: str) -> bytes:
    import pygal

    period = report.period
    many = len(report.points) > 16
    money = _money_formatter(language, report.currency)
    chart = pygal.Line(**_config(
        theme, value_formatter=money, x_label_rotation=40 if many else 0, show_minor_x_labels=not many,
        dots_size=2 if many else 4, fill=False, stroke_style={"width": 3}, include_x_axis=True,
    ))
    fmt = "MMM y" if period.granularity == "month" else "d MMM"
    chart.x_labels = [format_date(p.day, language, fmt) for p in report.points]
    if many:
        step = max(1, len(report.points) // 12)
        chart.x_labels_major = chart.x_labels[::step]
    chart.add(t("analytics.sales.this_period", language), [p.revenue_cents / 100 for p in report.points])
    chart.add(t("analytics.sales.previous_period", language),
              [p.previous_revenue_cents / 100 for p in report.points],
              stroke_style={"width": 2.5, "dasharray": "8, 5"})
    return _render(chart)


def _trend(report: reports.SalesReport, figure: str, theme: str) -> bytes:
    """A sparkline of the period's sales (revenue or orders) per bucket: the shape, not the
    figures, which the dashboard prints beside it."""
    import pygal

    chart = pygal.Line(**_config(theme, width=360, height=90, show_legend=False, fill=True, show_dots=False,
                                 stroke_style={"width": 2.5}, margin=2, spacing=0))
    values = [(p.revenue_cents / 100 if figure == "revenue" else p.orders) for p in report.points]
    chart.add("", values)
    svg = chart.render_sparkline(width=360, height=90)
    return SCRIPT.sub(b"", svg if isinstance(svg, bytes) else svg.encode("utf-8"))


def chart_svg(db: Session, *, chart: str, scope: reports.Scope, period: ReportPeriod, theme: str = "light") -> bytes:
    """The SVG of ``chart`` (one of ``CHARTS``) for the period; ValueError for an unknown one."""
    if chart not in CHARTS:
        raise ValueError(f"no chart {chart!r}")
    language = scope.language
    count = lambda value: format_number(round(value or 0), language)  # noqa: E731 - a formatter
    if chart in ("trend_revenue", "trend_orders"):
        return _trend(reports.sales_report(db, scope=scope, period=period), chart.removeprefix("trend_"), theme)
    if chart in ("sales", "statuses", "payments", "shipping"):
        sales = reports.sales_report(db, scope=scope, period=period)
        money = _money_formatter(language, sales.currency)
        if chart == "sales":
            return _sales(sales, language, theme)
        if chart == "statuses":
            return _bars([t(f"analytics.status.{status}", language) for status, _ in sales.statuses],
                         [(t("analytics.sales.orders", language), [n for _, n in sales.statuses])],
                         theme=theme, formatter=count, whole=True)
        shares = sales.payments if chart == "payments" else sales.shipping
        return _bars([s.label or s.key or t("analytics.none", language) for s in shares],
                     [(t("analytics.sales.revenue", language), [s.revenue_cents / 100 for s in shares])],
                     theme=theme, formatter=money)
    if chart in ("products_revenue", "products_units", "categories"):
        products = reports.products_report(db, scope=scope, period=period)
        money = _money_formatter(language, products.currency)
        if chart == "categories":
            return _bars([c.name for c in products.categories],
                         [(t("analytics.sales.revenue", language), [c.revenue_cents / 100 for c in products.categories])],
                         theme=theme, formatter=money)
        if chart == "products_revenue":
            return _bars([p.label for p in products.by_revenue],
                         [(t("analytics.sales.revenue", language), [p.revenue_cents / 100 for p in products.by_revenue])],
                         theme=theme, formatter=money)
        return _bars([p.label for p in products.by_units],
                     [(t("analytics.sales.units", language), [p.units for p in products.by_units])],
                     theme=theme, formatter=count, whole=True)
    if chart == "customers":
        customers = reports.customers_report(db, scope=scope, period=period)
        now, before = customers.current, customers.previous
        return _bars([t("analytics.customers.new", language), t("analytics.customers.returning", language)],
                     [(t("analytics.sales.this_period", language), [now.new_customers, now.returning_customers]),
                      (t("analytics.sales.previous_period", language),
                       [before.new_customers, before.returning_customers])],
                     theme=theme, formatter=count, horizontal=False, whole=True)
    vat = reports.vat_report(db, scope=scope, period=period)
    money = _money_formatter(language, vat.currency)
    return _bars([f"{row.rate} %" for row in vat.rows],
                 [(t("analytics.vat.net", language), [row.net_cents / 100 for row in vat.rows]),
                  (t("analytics.vat.vat", language), [row.vat_cents / 100 for row in vat.rows])],
                 theme=theme, formatter=money, horizontal=False)
