"""Marketplace: services."""
