"""Catalog: routes."""
