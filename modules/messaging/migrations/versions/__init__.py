"""Messaging: Alembic revisions (branch ``messaging``)."""
