"""Catalog: routes/api."""
