"""Customers: routes/api."""
