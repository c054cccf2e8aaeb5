"""Monitoring: Alembic revisions (branch ``monitoring``)."""
