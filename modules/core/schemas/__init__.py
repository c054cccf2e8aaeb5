"""Core: schemas."""
