"""Billing & Subscriptions: schemas."""
