"""Inventory: routes/api."""
