"""Marketplace: routes/pages."""
