"""Messaging: routes/pages."""
