"""Payments: Alembic revisions (branch ``payments``)."""
