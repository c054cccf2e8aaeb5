"""Inventory: routes."""
