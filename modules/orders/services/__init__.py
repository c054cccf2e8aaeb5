"""Orders: services."""
