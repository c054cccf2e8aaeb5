"""Messaging: services."""
