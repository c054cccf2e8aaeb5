"""Contracts: routes/api."""
