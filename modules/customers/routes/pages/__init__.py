"""Customers: routes/pages."""
