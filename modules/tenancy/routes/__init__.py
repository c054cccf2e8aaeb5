"""Tenancy: routes."""
