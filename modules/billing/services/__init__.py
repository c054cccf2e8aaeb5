"""Billing & Subscriptions: services."""
