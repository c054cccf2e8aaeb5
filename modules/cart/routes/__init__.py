"""Cart: routes."""
