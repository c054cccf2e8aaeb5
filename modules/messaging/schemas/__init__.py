"""Messaging: schemas."""
