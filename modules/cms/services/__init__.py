"""Content: services."""
