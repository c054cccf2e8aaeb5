"""Checkout: routes/api."""
