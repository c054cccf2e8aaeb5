"""Tenancy: schemas."""
