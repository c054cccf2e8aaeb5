"""Inventory module: stock management and locations."""
