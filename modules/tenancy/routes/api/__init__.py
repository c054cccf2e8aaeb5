"""Tenancy: routes/api."""
