"""Content: schemas."""
