"""Billing & Subscriptions: routes/api."""
