"""Inventory: models."""
