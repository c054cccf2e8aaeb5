"""Contracts: models."""
