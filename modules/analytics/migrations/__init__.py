"""Analytics & Reporting: Alembic migrations."""
