"""Loyalty: routes/pages."""
