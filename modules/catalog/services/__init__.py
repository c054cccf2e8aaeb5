"""Catalog: services."""
