"""Content: routes."""
