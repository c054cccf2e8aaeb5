"""Tenancy: routes/pages."""
