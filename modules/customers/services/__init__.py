"""Customers: services."""
