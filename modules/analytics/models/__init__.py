"""Analytics & Reporting: models."""
