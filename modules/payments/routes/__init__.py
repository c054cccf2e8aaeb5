"""Payments: routes."""
