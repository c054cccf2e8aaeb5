"""Checkout: models."""
