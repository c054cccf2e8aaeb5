"""Unhandled errors: what the framework hands to the module that keeps them (monitoring).

When a request ends in an unexpected exception, the framework makes an ``ErrorReport``
(already redacted: no body, no cookies, no credentials) and gives it to the ``ErrorRecorder``
provided on the request's platform; where no module provides one, nothing is kept beyond the
log.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol, runtime_checkable


@dataclass(frozen=True)
class ErrorReport:
    """One unhandled exception of a request."""

    error_type: str
    """``ValueError``, ``sqlalchemy.exc.DataError``: the exception's class."""
    place: str
    """Where it was raised: ``modules/orders/services/order_service.py:120 in create_order``, the
    innermost frame of Orion's own code (the library frame below it would group unrelated
    errors together)."""
    message: str
    """The exception's text, redacted and cut to 500 characters."""
    request: dict[str, Any] = field(default_factory=dict)
    """``method``, ``path``, ``route``, ``query`` (values redacted), ``user_agent``."""
    platform_id: int | None = None
    occurred_at: datetime | None = None


@runtime_checkable
class ErrorRecorder(Protocol):
    """Keeps unhandled errors grouped by type and place."""

    def record(self, db: Any, report: ErrorReport) -> None:
        """Count ``report`` in its group (made on its first occurrence) and commit."""
        ...
