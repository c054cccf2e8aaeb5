"""Inventory: schemas."""
