"""Payments: routes/api."""
