"""Content: Alembic revisions (branch ``cms``)."""
