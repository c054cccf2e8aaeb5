"""Loyalty: routes."""
