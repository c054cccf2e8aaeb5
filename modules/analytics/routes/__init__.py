"""Analytics & Reporting: routes."""
