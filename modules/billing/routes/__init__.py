"""Billing & Subscriptions: routes."""
