"""Monitoring: schemas."""
