"""Marketplace: models."""
