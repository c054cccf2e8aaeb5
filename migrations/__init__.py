"""Alembic environment and the framework's own revisions."""
