"""Loyalty: services."""
