"""Analytics & Reporting: models."""

from modules.analytics.models.daily import DailyFigure, StoreBuild

__all__ = ["DailyFigure", "StoreBuild"]
