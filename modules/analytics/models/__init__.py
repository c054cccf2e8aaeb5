"""Analytics & Reporting: models."""

from modules.analytics.models.daily import DailyFigure, StoreBuild
from modules.analytics.models.saved_report import SavedReport

__all__ = ["DailyFigure", "SavedReport", "StoreBuild"]
