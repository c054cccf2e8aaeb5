"""Loyalty: models."""
