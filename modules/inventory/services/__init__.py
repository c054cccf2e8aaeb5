"""Inventory: services."""
