"""Inventory: routes/pages."""
