"""The report period: read from the form, cut into local days, weeks or months, and the
period of the same length before it."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from modules.analytics.services.periods import ReportPeriod, parse_period

ON = date(2026, 12, 7)


def test_without_dates_the_last_thirty_days_by_day():
    """An empty form shows the 30 days up to today."""
    period, problems = parse_period({}, on=ON)
    assert problems == {}
    assert (period.first, period.last, period.granularity) == (date(2026, 11, 8), ON, "day")


@pytest.mark.parametrize("values, field, code", [
    ({"from": "31.12.2026"}, "from", "date_invalid"),
    ({"to": "2026-13-01"}, "to", "date_invalid"),
    ({"from": "2026-12-01", "to": "2026-11-01"}, "to", "date_order"),
    ({"from": "2020-01-01", "to": "2026-12-01", "by": "month"}, "from", "too_long"),
    ({"from": "2026-01-01", "to": "2026-12-01", "by": "day"}, "by", "too_many_days"),
    ({"by": "hour"}, "by", "granularity_invalid"),
])
def test_a_form_it_cannot_use_is_explained_per_field(values, field, code):
    """Each problem names its field; the report falls back to the default span."""
    period, problems = parse_period(values, on=ON)
    assert problems == {field: code}
    assert period.last == ON and period.days == 30


def test_days_start_at_midnight_in_luxembourg():
    """Winter (UTC+1) and summer (UTC+2) midnights, in UTC."""
    period = ReportPeriod(date(2026, 3, 1), date(2026, 7, 31), "month")
    assert period.start == datetime(2026, 2, 28, 23, 0, tzinfo=UTC)
    assert period.end == datetime(2026, 7, 31, 22, 0, tzinfo=UTC)


def test_weeks_start_on_monday_and_the_first_bucket_on_the_first_day():
    """A period starting on a Wednesday: its first week starts that Wednesday."""
    period = ReportPeriod(date(2026, 11, 4), date(2026, 11, 20), "week")
    assert period.buckets() == [date(2026, 11, 4), date(2026, 11, 9), date(2026, 11, 16)]


def test_months_and_the_previous_period_of_the_same_length():
    """Two months back to back, and the 61 days before them."""
    period = ReportPeriod(date(2026, 10, 1), date(2026, 11, 30), "month")
    assert period.buckets() == [date(2026, 10, 1), date(2026, 11, 1)]
    before = period.previous()
    assert (before.first, before.last, before.days) == (date(2026, 8, 1), date(2026, 9, 30), 61)
