"""Messaging: models."""
