"""Checkout: routes/pages."""
