"""Loyalty: routes/api."""
