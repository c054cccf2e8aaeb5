"""Monitoring: routes/pages."""
