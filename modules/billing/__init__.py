"""Billing & Subscriptions module: platform subscriptions, tier limits and store invoices."""
