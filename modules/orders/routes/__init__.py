"""Orders: routes."""
