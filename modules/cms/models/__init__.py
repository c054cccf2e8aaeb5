"""Content: models."""
