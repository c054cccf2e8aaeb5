"""Marketplace: routes/api."""
