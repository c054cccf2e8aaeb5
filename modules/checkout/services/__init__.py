"""Checkout: services."""
