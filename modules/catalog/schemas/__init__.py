"""Catalog: schemas."""
