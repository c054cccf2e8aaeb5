"""Payments: routes/pages."""
