"""Marketplace: schemas."""
