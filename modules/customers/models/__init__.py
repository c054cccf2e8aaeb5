"""Customers: models."""
