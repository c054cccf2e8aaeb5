"""Developer Tools: schemas."""
