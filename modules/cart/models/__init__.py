"""Cart: models."""
