"""Analytics & Reporting: schemas."""
