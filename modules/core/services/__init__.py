"""Core: services."""
