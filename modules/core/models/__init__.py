"""Core: models."""
