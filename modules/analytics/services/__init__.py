"""Analytics & Reporting: services."""
