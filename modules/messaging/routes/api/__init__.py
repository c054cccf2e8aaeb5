"""Messaging: routes/api."""
