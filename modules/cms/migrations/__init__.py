"""Content: Alembic migrations."""
