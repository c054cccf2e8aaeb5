"""Messaging: routes."""
