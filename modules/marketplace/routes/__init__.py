"""Marketplace: routes."""
