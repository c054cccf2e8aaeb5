"""Analytics & Reporting: routes/pages."""
