"""Monitoring: routes/api."""
