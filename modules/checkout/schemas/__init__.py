"""Checkout: schemas."""
