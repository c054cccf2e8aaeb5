"""Catalog: Alembic revisions (branch ``catalog``)."""
