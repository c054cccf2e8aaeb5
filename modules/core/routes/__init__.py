"""Core: routes."""
