"""What the Monitoring module provides to the framework: keeping unhandled errors."""

from __future__ import annotations

from typing import Any

from modules.contracts.errors import ErrorReport
from modules.monitoring.services import error_service


class KeepErrors:
    """``ErrorRecorder``: unhandled errors counted in groups of type and place."""

    def record(self, db: Any, report: ErrorReport) -> None:
        error_service.record(db, report)
