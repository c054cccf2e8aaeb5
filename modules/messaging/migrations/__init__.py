"""Messaging: Alembic migrations."""
