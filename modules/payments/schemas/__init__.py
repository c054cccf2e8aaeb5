"""Payments: schemas."""
