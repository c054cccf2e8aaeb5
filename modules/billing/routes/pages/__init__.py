"""Billing & Subscriptions: routes/pages."""
