"""Checkout: routes."""
