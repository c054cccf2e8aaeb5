"""Orders: schemas."""
