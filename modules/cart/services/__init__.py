"""Cart: services."""
