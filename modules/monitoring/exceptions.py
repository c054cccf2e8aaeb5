"""Errors of the Monitoring module."""

from orion_server.errors import NotFoundError, OrionError
from orion_server.forms import InputError, Problem


class MonitoringError(OrionError):
    """Base of the Monitoring module's errors."""


class TaskNotFoundError(NotFoundError):
    """No failed task to retry, or no waiting task to revoke, has this id."""


class LogFilterError(InputError):
    """A filter of the logs page, or the support bundle's time window, cannot be used (422,
    every field named)."""


__all__ = ["LogFilterError", "MonitoringError", "Problem", "TaskNotFoundError"]
