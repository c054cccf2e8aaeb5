"""The span a report covers: local days chosen by the user, cut into days, weeks or months,
and the span of the same length just before it (the previous period shown beside it).

Days start at midnight in Luxembourg (``modules.contracts.metrics.LOCAL_ZONE``), where the
shops are; the database is asked in UTC.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from modules.contracts.metrics import LOCAL_ZONE

GRANULARITIES = ("day", "week", "month")
"""How sales over time are grouped."""
DEFAULT_DAYS = 30
"""A report without dates covers the last 30 days, today included."""
MAX_DAYS = 3 * 366
"""The longest span a report covers (three years)."""
MAX_DAILY_DAYS = 92
"""Past about three months, days are too many to read: weeks or months then."""


@dataclass(frozen=True)
class ReportPeriod:
    """Local days ``first`` to ``last`` (both included), grouped by ``granularity``."""

    first: date
    last: date
    granularity: str = "day"

    @property
    def days(self) -> int:
        """How many days the period covers."""
        return (self.last - self.first).days + 1

    @property
    def start(self) -> datetime:
        """The first day's local midnight, in UTC."""
        return local_midnight(self.first)

    @property
    def end(self) -> datetime:
        """The local midnight after the last day, in UTC (not included)."""
        return local_midnight(self.last + timedelta(days=1))

    def previous(self) -> ReportPeriod:
        """The period of as many days ending the day before this one starts."""
        last = self.first - timedelta(days=1)
        return ReportPeriod(last - timedelta(days=self.days - 1), last, self.granularity)

    def bucket_of(self, day: date) -> date:
        """The first day of the bucket ``day`` falls in (never before ``first``)."""
        if self.granularity == "week":
            start = day - timedelta(days=day.weekday())
        elif self.granularity == "month":
            start = day.replace(day=1)
        else:
            start = day
        return max(start, self.first)

    def buckets(self) -> list[date]:
        """The first day of each bucket, in order."""
        found: list[date] = []
        day = self.first
        while day <= self.last:
            bucket = self.bucket_of(day)
            if not found or found[-1] != bucket:
                found.append(bucket)
            day += timedelta(days=1)
        return found

    def query(self) -> dict[str, str]:
        """The period as the report form's query parameters."""
        return {"from": self.first.isoformat(), "to": self.last.isoformat(), "by": self.granularity}


def local_midnight(day: date) -> datetime:
    """The start of local ``day``, in UTC."""
    return datetime.combine(day, time(0), tzinfo=LOCAL_ZONE).astimezone(UTC)


def local_day(moment: datetime) -> date:
    """The local day ``moment`` (aware) falls on."""
    return moment.astimezone(LOCAL_ZONE).date()


def today() -> date:
    """Today in Luxembourg."""
    return local_day(datetime.now(UTC))


def default_period(*, on: date) -> ReportPeriod:
    """The last ``DEFAULT_DAYS`` days up to ``on``, by day."""
    return ReportPeriod(on - timedelta(days=DEFAULT_DAYS - 1), on, "day")


def _day(raw: str, field: str, problems: dict[str, str]) -> date | None:
    raw = raw.strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        problems[field] = "date_invalid"
        return None


def parse_period(values: Mapping[str, str], *, on: date) -> tuple[ReportPeriod, dict[str, str]]:
    """The period the form asks for (``from``, ``to``, ``by``) and ``{field: problem code}``;
    with problems, the period is the default one (``to`` defaults to ``on``, ``from`` to 30 days
    before ``to``)."""
    problems: dict[str, str] = {}
    granularity = (values.get("by") or "day").strip()
    if granularity not in GRANULARITIES:
        problems["by"] = "granularity_invalid"
        granularity = "day"
    last = _day(values.get("to", ""), "to", problems) or on
    first = _day(values.get("from", ""), "from", problems) or last - timedelta(days=DEFAULT_DAYS - 1)
    if "from" not in problems and "to" not in problems:
        if first > last:
            problems["to"] = "date_order"
        elif (last - first).days + 1 > MAX_DAYS:
            problems["from"] = "too_long"
        elif granularity == "day" and (last - first).days + 1 > MAX_DAILY_DAYS:
            problems["by"] = "too_many_days"
    if problems:
        fallback = default_period(on=on)
        return ReportPeriod(fallback.first, fallback.last, granularity), problems
    return ReportPeriod(first, last, granularity), problems
