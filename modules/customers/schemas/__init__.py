"""Customers: schemas."""
