"""Contracts: routes/pages."""
