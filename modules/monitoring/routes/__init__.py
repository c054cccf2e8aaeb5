"""Monitoring: routes."""
