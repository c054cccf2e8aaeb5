"""Orders: models."""
