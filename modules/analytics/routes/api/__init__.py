"""Analytics & Reporting: routes/api."""
