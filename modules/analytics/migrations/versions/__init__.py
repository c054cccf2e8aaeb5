"""Analytics & Reporting: Alembic revisions (branch ``analytics``)."""
