"""Monitoring: Alembic migrations."""
