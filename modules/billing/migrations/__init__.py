"""Billing & Subscriptions: Alembic migrations."""
