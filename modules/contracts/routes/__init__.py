"""Contracts: routes."""
