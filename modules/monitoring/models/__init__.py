"""Monitoring: models."""

from modules.monitoring.models.error_group import ErrorGroup

__all__ = ["ErrorGroup"]
