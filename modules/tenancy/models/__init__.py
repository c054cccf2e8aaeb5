"""Tenancy: models."""
