"""Loyalty: schemas."""
