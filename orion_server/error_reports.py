"""Turning an unhandled exception of a request into an ``ErrorReport`` for the module that
keeps them grouped (``modules.contracts.errors``; the monitoring module), redacted first."""

from __future__ import annotations

import logging
import traceback
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from starlette.requests import Request

from modules.contracts.errors import ErrorRecorder, ErrorReport
from orion_server.logs import redact
from orion_server.paths import PROJECT_ROOT

logger = logging.getLogger(__name__)
MESSAGE_CHARS = 500
KEPT_QUERY_KEYS = 20


def error_type(exc: BaseException) -> str:
    kind = type(exc)
    return kind.__qualname__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__qualname__}"


def place_of(exc: BaseException, root: Path = PROJECT_ROOT) -> str:
    """``path:line in function`` of the innermost frame in Orion's own code (relative to the
    project), else of the innermost frame at all."""
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return "unknown"
    chosen = frames[-1]
    for frame in reversed(frames):
        path = Path(frame.filename)
        if path.is_relative_to(root) and "site-packages" not in path.parts and ".venv" not in path.parts:
            chosen = frame
            break
    path = Path(chosen.filename)
    shown = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.name
    return f"{shown}:{chosen.lineno} in {chosen.name}"


def describe_request(request: Request) -> dict[str, Any]:
    """What of the request helps find the error, nothing that identifies or authenticates the
    visitor: no body, cookies or headers but the user agent; query values redacted."""
    route = request.scope.get("route")
    query = [(key[:50], redact(f"{key}={value}").split("=", 1)[-1][:100])
             for key, value in parse_qsl(request.url.query, keep_blank_values=True)][:KEPT_QUERY_KEYS]
    return {
        "method": request.method,
        "path": getattr(request.state, "original_path", request.url.path)[:300],
        "route": getattr(route, "path", "")[:300],
        "query": query,
        "user_agent": request.headers.get("user-agent", "")[:200],
    }


def make_report(request: Request, exc: BaseException) -> ErrorReport:
    platform = getattr(request.state, "platform", None)
    return ErrorReport(
        error_type=error_type(exc)[:200],
        place=place_of(exc)[:300],
        message=redact(str(exc))[:MESSAGE_CHARS],
        request=describe_request(request),
        platform_id=getattr(platform, "id", None),
        occurred_at=datetime.now(UTC),
    )


def report_unhandled(report: ErrorReport) -> None:
    """Give ``report`` to the platform's error recorder, if a module provides one there. Never
    raises: the visitor already gets the error page, and the log has the traceback."""
    from orion_server.database import db
    from orion_server.providers import get_provider

    session = db.session()
    try:
        if report.platform_id is None:  # /health, /metrics: kept with the main platform's errors
            from dataclasses import replace

            from sqlalchemy import select

            from orion_server.config import get_settings
            from orion_server.models import Platform

            main_id = session.scalar(select(Platform.id).where(Platform.code == get_settings().main_platform_code))
            report = replace(report, platform_id=main_id)
        recorder = get_provider(session, ErrorRecorder, platform_id=report.platform_id)
        if recorder is not None:
            recorder.record(session, report)
    except Exception:
        logger.warning("could not keep the unhandled error", exc_info=True)
        session.rollback()
    finally:
        session.close()
