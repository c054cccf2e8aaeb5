"""Cart: schemas."""
