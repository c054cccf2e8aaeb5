"""Customers: routes."""
