"""Payments: services."""
