"""Payments module: payment gateway integrations (Stripe, PayPal, bank transfer)."""
