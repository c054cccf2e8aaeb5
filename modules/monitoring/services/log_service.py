"""The logs page: the records of ``logs.db`` (the one the console's log viewer reads, through
the same reader, ``orion_server.logs``), filtered and a page at a time, newest first; and the
support bundle the console and ``orion support-bundle`` make."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from modules.monitoring.exceptions import LogFilterError, Problem
from orion_server.logs import LOG_DB, count_logs, log_sources, query_logs
from orion_server.pagination import Page, clamp_page
from orion_server.support_bundle import BundleError, bundle_bytes, bundle_name, parse_duration

LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
PER_PAGE = 50
COUNTED = 10_000
"""Matches counted at most (a page number past that is still served)."""
LOCAL_ZONE = ZoneInfo("Europe/Luxembourg")
"""The zone the admin's times are shown and entered in."""
TEXT_CHARS = 200


@dataclass(frozen=True)
class LogFilters:
    """What the records are narrowed to; empty means any."""

    level: str = ""
    source: str = ""
    platform: str = ""
    store: str = ""
    since: str = ""
    until: str = ""
    text: str = ""

    def query(self) -> str:
        """The filters as a query string (for the pages' links), without the empty ones."""
        from urllib.parse import urlencode

        return urlencode({k: v for k, v in self.__dict__.items() if v})


@dataclass(frozen=True)
class LogListing:
    """One page of records with what the filter form offers."""

    records: Page[dict[str, Any]]
    filters: LogFilters
    sources: list[str] = field(default_factory=list)


def logs_path() -> Path:
    from orion_server.config import get_settings

    return get_settings().logs_dir / LOG_DB


def _moment(value: str, name: str) -> datetime | None:
    """A time typed in the filter form (local time unless it says its zone), in UTC."""
    value = value.strip()
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=LOCAL_ZONE)
        return moment.astimezone(UTC)
    except (ValueError, OverflowError) as exc:
        raise LogFilterError([Problem(name, "monitoring.logs.errors.bad_time")]) from exc


def raw_filters(values: Any) -> LogFilters:
    """The filters as given (cut to a sane length), for showing the form back."""
    return LogFilters(
        level=(values.get("level") or "").strip().upper()[:10], source=(values.get("source") or "").strip()[:100],
        platform=(values.get("platform") or "").strip().lower()[:100],
        store=(values.get("store") or "").strip().lower()[:100], since=(values.get("since") or "").strip()[:40],
        until=(values.get("until") or "").strip()[:40], text=(values.get("text") or "").strip()[:TEXT_CHARS],
    )


def read_filters(values: Any, *, platform_codes: list[str]) -> LogFilters:
    """The filters from a query string; LogFilterError naming each field that cannot be used.
    ``platform_codes`` are the platforms the admin may pick."""
    problems: list[Problem] = []
    level = (values.get("level") or "").strip().upper()
    if level and level not in LEVELS:
        problems.append(Problem("level", "monitoring.logs.errors.bad_level"))
    filters = raw_filters(values)
    if filters.platform and filters.platform not in platform_codes:
        problems.append(Problem("platform", "monitoring.logs.errors.bad_platform"))
    for name in ("since", "until"):
        try:
            _moment(getattr(filters, name), name)
        except LogFilterError as exc:
            problems += exc.problems
    if not problems:
        since, until = _moment(filters.since, "since"), _moment(filters.until, "until")
        if since and until and until < since:
            problems.append(Problem("until", "monitoring.logs.errors.until_before_since"))
    if problems:
        raise LogFilterError(problems)
    return filters


def list_records(filters: LogFilters, *, page: int = 1, platform_codes: list[str] | None,
                 path: Path | None = None) -> LogListing:
    """A page of the records matching ``filters``, newest first. ``platform_codes`` limits
    them to records made for those platforms (an admin of some platforms only); None: all."""
    path = path or logs_path()
    platforms = [filters.platform] if filters.platform else platform_codes
    criteria: dict[str, Any] = {
        "since": _moment(filters.since, "since"), "until": _moment(filters.until, "until"),
        "min_level": logging.getLevelName(filters.level) if filters.level else 0,
        "source": filters.source or None, "text": filters.text or None,
        "platforms": platforms, "store": filters.store or None,
    }
    total = count_logs(path, at_most=COUNTED, **criteria)
    page = clamp_page(page, min(total, COUNTED), PER_PAGE)
    rows = [_with_time(row) for row in
            query_logs(path, newest_first=True, limit=PER_PAGE, offset=(page - 1) * PER_PAGE, **criteria)]
    return LogListing(
        records=Page(items=rows, total=min(total, COUNTED), page=page, per_page=PER_PAGE, more=total > COUNTED),
        filters=filters, sources=log_sources(path),
    )


def _with_time(row: dict[str, Any]) -> dict[str, Any]:
    """The record with ``at``, its time as a datetime (None when unreadable)."""
    try:
        at: datetime | None = datetime.fromisoformat(row.get("ts") or "")
    except ValueError:
        at = None
    return {**row, "at": at}


DEFAULT_WINDOW = "24h"


def support_bundle(window: str, *, now: datetime | None = None) -> tuple[str, bytes]:
    """The support bundle of the last ``window`` (``30m``, ``24h``, ``7d``): its file name and
    the bytes of its zip. LogFilterError naming ``window`` when it cannot be read."""
    try:
        duration = parse_duration(window)
    except BundleError as exc:
        raise LogFilterError([Problem("window", "monitoring.logs.errors.bad_window")]) from exc
    if duration > timedelta(days=366):
        raise LogFilterError([Problem("window", "monitoring.logs.errors.bad_window")])
    now = now or datetime.now(UTC)
    return bundle_name(now), bundle_bytes(duration, now=now)
