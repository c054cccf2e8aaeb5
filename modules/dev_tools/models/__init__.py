"""Developer Tools: models."""
