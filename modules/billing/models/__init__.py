"""Billing & Subscriptions: models."""
