"""Billing & Subscriptions: Alembic revisions (branch ``billing``)."""
