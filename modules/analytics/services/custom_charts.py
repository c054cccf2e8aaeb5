"""The chart of a custom report running over time: the first measure along the days, weeks or
months, one line per value of the other dimension (its largest ones), drawn as the other
reports' charts are (``charts``: pygal SVG, no script, the reader's language)."""

from __future__ import annotations

from datetime import date

from modules.analytics.services import charts
from modules.analytics.services.custom_reports import MONEY_MEASURES, TIME_DIMENSIONS, CustomReport
from modules.analytics.services.periods import ReportPeriod
from orion_server.i18n import format_date, format_number, t

SERIES = 6
"""At most this many lines (the values of the other dimension with the largest totals)."""


def chart_svg(report: CustomReport, *, language: str, theme: str = "light") -> bytes:
    """The SVG of ``report`` (which must run over time: ValueError otherwise)."""
    import pygal

    definition = report.definition
    time = definition.time_dimension
    if time is None:
        raise ValueError("a chart needs a time dimension")
    measure = definition.measures[0]
    at = definition.dimensions.index(time)
    other = next((index for index, d in enumerate(definition.dimensions) if d not in TIME_DIMENSIONS), None)
    buckets = [day.isoformat() for day in ReportPeriod(report.period.first, report.period.last, time).buckets()]
    series: dict[str, dict[str, float]] = {}
    names: dict[str, str] = {}
    for row in report.rows:
        key = row.keys[other] if other is not None else ""
        names[key] = row.labels[other] if other is not None else t(f"analytics.custom.measure.{measure}", language)
        value = row.values[measure]
        series.setdefault(key, {})[row.keys[at]] = value / 100 if measure in MONEY_MEASURES else value
    largest = sorted(series, key=lambda key: -sum(series[key].values()))[:SERIES]
    many = len(buckets) > 16
    if measure in MONEY_MEASURES:
        formatter = charts._money_formatter(language, report.currency)
    else:
        def formatter(value: float | None) -> str:
            return format_number(round(value or 0), language)
    chart = pygal.Line(**charts._config(
        theme, value_formatter=formatter, x_label_rotation=40 if many else 0, show_minor_x_labels=not many,
        dots_size=2 if many else 4, fill=False, stroke_style={"width": 3}, include_x_axis=True,
        show_legend=other is not None,
    ))
    fmt = "MMM y" if time == "month" else "d MMM"
    chart.x_labels = [format_date(date.fromisoformat(day), language, fmt) for day in buckets]
    if many:
        chart.x_labels_major = chart.x_labels[:: max(1, len(buckets) // 12)]
    for key in largest:
        chart.add(names[key], [series[key].get(day, 0) for day in buckets])
    return charts._render(chart)
