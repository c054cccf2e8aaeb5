"""Catalog: routes/pages."""
