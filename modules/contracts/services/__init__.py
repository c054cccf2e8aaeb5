"""Contracts: services."""
