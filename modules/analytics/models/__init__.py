"""Analytics & Reporting: models."""

from modules.analytics.models.saved_report import SavedReport

__all__ = ["SavedReport"]
